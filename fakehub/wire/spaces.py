"""Space repositories on the wire: request bodies and the ``SpaceInfo`` object (spaces.md §3.2-§3.5).

``SpaceInfo`` always carries ``id``, ``private``, ``likes`` and ``tags`` (0.20.3 requires them),
except with ``expand``, where the Hub returns only the expanded keys plus ``id``/``_id``.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import Field

from fakehub.domain.spaces.card import README, parse_card
from fakehub.domain.spaces.commits import AddFile
from fakehub.domain.spaces.listing import SpaceView
from fakehub.domain.spaces.options import KeyValueInput, SpaceOptions
from fakehub.domain.spaces.records import FileContent, LfsPointer, Space
from fakehub.domain.spaces.tree import entry_blob_id, entry_size, regular_bytes
from fakehub.timefmt import iso
from fakehub.wire.commits import FileValue, add_file
from fakehub.wire.parse import WireModel
from fakehub.wire.runtime import runtime_json
from fakehub.wire.validation import check_options
from fakehub.wire.volumes import VolumeBody

#: ``expand`` values accepted on Space reads: 2.4.0's list, plus ``xetEnabled`` (0.30-0.36).
EXPAND_KEYS = (
    "author", "cardData", "createdAt", "datasets", "disabled", "lastModified", "likes", "models",
    "private", "region", "resourceGroup", "runtime", "sdk", "sha", "siblings", "subdomain", "tags",
    "trendingScore", "usedStorage", "xetEnabled",
)  # fmt: skip


class KeyValueBody(WireModel):
    key: str
    value: str
    description: str | None = None


class SpaceOptionsBody(WireModel):
    """The Space settings shared by ``/api/repos/create`` and ``/duplicate``."""

    private: bool | None = None
    visibility: str | None = None
    hardware: str | None = None
    storage_tier: str | None = Field(default=None, alias="storageTier")
    sleep_time_seconds: int | None = Field(default=None, alias="sleepTimeSeconds")
    secrets: list[KeyValueBody] | None = None
    variables: list[KeyValueBody] | None = None
    volumes: list[VolumeBody] | None = None
    resource_group_id: str | None = Field(default=None, alias="resourceGroupId")
    region: str | None = None

    def options(self) -> SpaceOptions:
        def pairs(items: list[KeyValueBody] | None) -> tuple[KeyValueInput, ...] | None:
            if items is None:
                return None
            return tuple(KeyValueInput(i.key, i.value, i.description) for i in items)

        volumes = None
        if self.volumes is not None:
            volumes = tuple(v.to_volume() for v in self.volumes)
        return SpaceOptions(
            hardware=self.hardware,
            storage=self.storage_tier,
            sleep_time=self.sleep_time_seconds,
            secrets=pairs(self.secrets),
            variables=pairs(self.variables),
            volumes=volumes,
            resource_group_id=self.resource_group_id,
            region=self.region,
        )


class CreateRepoBody(SpaceOptionsBody):
    name: str
    organization: str | None = None
    type: str = "model"
    sdk: str | None = None
    template: str | None = None
    #: the npm client's ``createRepo({files})``: committed with the Space's first commit
    files: list[FileValue] | None = Field(default=None, max_length=1000)

    def domain_files(self) -> list[AddFile]:
        return [add_file(item, f"files[{n}]") for n, item in enumerate(self.files or [])]


class DeleteRepoBody(WireModel):
    name: str
    organization: str | None = None
    type: str = "model"


class MoveRepoBody(WireModel):
    from_repo: str = Field(alias="fromRepo")
    to_repo: str = Field(alias="toRepo")
    type: str = "model"


class SettingsBody(WireModel):
    private: bool | None = None
    visibility: str | None = None
    gated: Literal[False, "auto", "manual"] | None = None


class DuplicateBody(SpaceOptionsBody):
    repository: str


def parse_expand(values: list[str]) -> list[str] | None:
    """Repeated ``expand`` params (also comma-separated); None when absent."""
    if not values:
        return None
    keys = [part for value in values for part in value.split(",") if part]
    check_options("expand", keys, EXPAND_KEYS)
    return keys


def _jsonable(data: Any) -> Any:
    # YAML front matter may hold dates and other non-JSON scalars: render them as strings.
    return json.loads(json.dumps(data, default=str))


def _sibling(path: str, content: FileContent) -> dict[str, Any]:
    body: dict[str, Any] = {
        "rfilename": path,
        "size": entry_size(content),
        "blobId": entry_blob_id(content),
    }
    if isinstance(content, LfsPointer):
        pointer = len(content.pointer_text())
        body["lfs"] = {"sha256": content.sha256, "size": content.size, "pointerSize": pointer}
    return body


def _siblings(view: SpaceView, blobs: bool) -> list[dict[str, Any]]:
    tree = view.commit.tree
    if not blobs:
        return [{"rfilename": path} for path in sorted(tree)]
    return [_sibling(path, tree[path]) for path in sorted(tree)]


def used_storage(space: Space) -> int:
    """Bytes the repository keeps: every distinct file content of its whole history.

    LFS/Xet objects count once each (by sha256), as the Hub's storage accounting does; regular
    files count once per distinct content.
    """
    seen: dict[str, int] = {}
    for commit in space.commits:
        for content in commit.tree.values():
            key = content.sha256 if isinstance(content, LfsPointer) else entry_blob_id(content)
            seen[key] = entry_size(content)
    return sum(seen.values())


def space_json(
    view: SpaceView,
    *,
    expand: list[str] | None = None,
    blobs: bool = False,
    runtime: bool = True,
) -> dict[str, Any]:
    """The ``SpaceInfo`` object; ``runtime=False`` leaves the runtime out (lists)."""
    space, commit = view.space, view.commit
    modified = space.last_modified_at_ns if view.is_head else commit.at_ns
    card = parse_card(regular_bytes(commit.tree, README))
    body: dict[str, Any] = {
        "_id": space.id,
        "id": space.repo_id,
        "author": space.namespace,
        "sha": commit.oid,
        "createdAt": iso(space.created_at_ns),
        "lastModified": iso(modified),
        "private": space.private,
        "gated": space.gated,
        "disabled": False,
        "host": space.host,
        "subdomain": space.subdomain,
        "likes": 0,
        "sdk": space.sdk,
        "tags": view.tags,
        "trendingScore": 0,
        "usedStorage": used_storage(space),
        "models": card.models,
        "datasets": card.datasets,
        "cardData": _jsonable(dict(card.data)),
        "siblings": _siblings(view, blobs),
        "region": space.region,
        "resourceGroup": {"id": space.resource_group_id} if space.resource_group_id else None,
        "xetEnabled": True,  # every Space takes Xet uploads
    }
    if runtime:
        body["runtime"] = runtime_json(space)
    return _expanded(body, expand)


def _expanded(body: dict[str, Any], expand: list[str] | None) -> dict[str, Any]:
    """Without ``expand``: the default keys; with it: only the expanded keys plus the ids."""
    if expand is None:
        del body["xetEnabled"]
        if body["resourceGroup"] is None:
            del body["resourceGroup"]
        return body
    return {key: value for key, value in body.items() if key in ("_id", "id", *expand)}


def space_list_item(view: SpaceView, *, full: bool, expand: list[str] | None) -> dict[str, Any]:
    """A ``GET /api/spaces`` item: compact by default, ``full`` adds files and card."""
    if expand is not None:
        return space_json(view, expand=expand, runtime="runtime" in expand)
    body = space_json(view, runtime=False)
    if full:
        return body
    keys = ("_id", "id", "author", "likes", "trendingScore", "private", "sdk", "tags")
    compact = {key: body[key] for key in keys}
    compact["createdAt"] = body["createdAt"]
    return compact


def settings_json(space: Space) -> dict[str, Any]:
    return {"private": space.private, "visibility": space.visibility, "gated": space.gated}


def next_page_link(url: str, cursor: int) -> str:
    """``<url with cursor=…>; rel="next"`` keeping every other parameter of ``url``.

    Clients fetch the next URL verbatim, so every filter must ride along.
    """
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "cursor"]
    query.append(("cursor", str(cursor)))
    return f'<{urlunsplit(parts._replace(query=urlencode(query)))}>; rel="next"'
