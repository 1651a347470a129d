"""git-lfs batch answers: where each object goes (or nothing, when it is already stored)."""

from __future__ import annotations

import time
from typing import Any

from fakehub.domain.spaces.lfs import PART_SIZE, BatchAction
from fakehub.domain.xet import TOKEN_SECONDS, IssuedToken


def object_url(endpoint: str, action: BatchAction) -> str:
    return f"{endpoint}/lfs-objects/{action.oid}?signature={action.ticket}"


def xet_action_json(
    action: BatchAction, token: IssuedToken | None, href: str, cas: str
) -> dict[str, Any]:
    """The Hub's xet batch answer: the upload action carries a write token (the JS client
    reads it; 0.36 asks the token route instead)."""
    body: dict[str, Any] = {"oid": action.oid, "size": action.size, "authenticated": True}
    if action.xet_upload and token is not None:
        header = {
            "X-Xet-Cas-Url": cas,
            "X-Xet-Access-Token": token.value,
            "X-Xet-Token-Expiration": str(int(time.time()) + TOKEN_SECONDS),
        }
        body["actions"] = {"upload": {"href": href, "header": header}}
    return body


def action_json(endpoint: str, repo_id: str, action: BatchAction) -> dict[str, Any]:
    body: dict[str, Any] = {"oid": action.oid, "size": action.size, "authenticated": True}
    if action.ticket is None:
        return body  # already stored: no actions, the client skips the upload
    href = object_url(endpoint, action)
    header: dict[str, str] = {}
    if action.parts is not None:
        header["chunk_size"] = str(PART_SIZE)
        for number in range(1, action.parts + 1):
            header[f"{number:05d}"] = f"{href}&partNumber={number}"
    verify = f"{endpoint}/spaces/{repo_id}.git/info/lfs/objects/verify"
    body["actions"] = {"upload": {"href": href, "header": header}, "verify": {"href": verify}}
    return body
