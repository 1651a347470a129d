"""git-lfs routes of a Space: the batch API, the object PUTs it points at, verify.

The PUT and completion routes stream the request body straight into the object store (they
never go through the JSON body reader, and the body is never held twice); they are
authenticated by the ``signature`` the batch answer put in their URL, as pre-signed storage
URLs are, because clients send them without the Hub token.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub.api.request import actor_of, endpoint_of, hub_of, read_body
from fakehub.api.xet import cas_url
from fakehub.domain.errors import BadRequest
from fakehub.domain.spaces.lfs import PART_SIZE, BatchAction, UploadTicket, parse_objects
from fakehub.wire.lfs import action_json, xet_action_json
from fakehub.wire.parse import decode_json
from fakehub.wire.responses import JSONResponse

LFS_MEDIA_TYPE = "application/vnd.git-lfs+json"


def _repo_id(request: Request) -> str:
    return f"{request.path_params['namespace']}/{request.path_params['name']}"


async def batch(request: Request) -> Response:
    data = decode_json(await read_body(request))
    if not isinstance(data, dict):
        raise BadRequest("LFS batch body must be a JSON object")
    objects = data.get("objects")
    transfers = data.get("transfers") or ["basic"]
    if not isinstance(objects, list) or not isinstance(transfers, list):
        raise BadRequest("LFS batch body needs 'objects' (a list) and 'transfers' (a list)")
    pairs = [(o.get("oid"), o.get("size")) if isinstance(o, dict) else (o, None) for o in objects]
    repo_id = _repo_id(request)
    answer = hub_of(request).lfs.batch(
        actor_of(request),
        repo_id,
        str(data.get("operation")),
        parse_objects(pairs),
        [str(t) for t in transfers],
    )
    endpoint = endpoint_of(request)
    if answer.transfer == "xet":
        objects = _xet_objects(request, repo_id, data, answer.actions)
    else:
        objects = [action_json(endpoint, repo_id, a) for a in answer.actions]
    body = {"transfer": answer.transfer, "objects": objects, "hash_algo": "sha256"}
    return JSONResponse(body, media_type=LFS_MEDIA_TYPE)


def _xet_objects(
    request: Request, repo_id: str, data: dict[str, Any], actions: tuple[BatchAction, ...]
) -> list[dict[str, Any]]:
    token = None
    if any(a.xet_upload for a in actions):
        token = hub_of(request).xet.issue(actor_of(request), "space", repo_id, "write")
    ref = data.get("ref")
    revision = ref.get("name", "main") if isinstance(ref, dict) else "main"
    href = f"{endpoint_of(request)}/api/spaces/{repo_id}/xet-write-token/{revision}"
    cas = cas_url(request)
    return [xet_action_json(a, token, href, cas) for a in actions]


async def _receive(request: Request, ticket: UploadTicket, offset: int, limit: int) -> int:
    """Stream the body into the ticket's staging area at ``offset``; returns the byte count."""
    lfs = hub_of(request).lfs
    staging = lfs.staging_for(ticket)
    written = 0
    async for chunk in request.stream():
        if written + len(chunk) > limit:
            raise BadRequest(f"LFS object {ticket.oid}: more bytes than announced ({limit})")
        staging.write_at(offset + written, chunk)
        written += len(chunk)
    return written


async def put_object(request: Request) -> Response:
    lfs = hub_of(request).lfs
    signature = request.query_params.get("signature", "")
    ticket = lfs.ticket(signature)
    part = request.query_params.get("partNumber")
    try:
        if part is None:
            return await _put_whole(request, signature, ticket)
        return await _put_part(request, signature, ticket, part)
    except BadRequest:
        lfs.drop(signature)  # a wrong upload leaves nothing half-stored
        raise


async def _put_whole(request: Request, signature: str, ticket: UploadTicket) -> Response:
    lfs = hub_of(request).lfs
    staging = lfs.staging_for(ticket)
    digest = hashlib.sha256()
    written = 0
    async for chunk in request.stream():
        if written + len(chunk) > ticket.size:
            raise BadRequest(f"LFS object {ticket.oid}: more bytes than announced ({ticket.size})")
        staging.write_at(written, chunk)
        digest.update(chunk)
        written += len(chunk)
    if written != ticket.size:
        raise BadRequest(
            f"LFS object {ticket.oid}: truncated upload ({written} of {ticket.size} bytes)"
        )
    lfs.finish(signature, digest.hexdigest())
    return Response(status_code=200)


async def _put_part(request: Request, signature: str, ticket: UploadTicket, part: str) -> Response:
    if ticket.parts is None or not part.isdigit() or not 1 <= int(part) <= ticket.parts:
        raise BadRequest(f"partNumber: {part!r} is not a part of this upload")
    number = int(part)
    expected = min(PART_SIZE, ticket.size - (number - 1) * PART_SIZE)
    written = await _receive(request, ticket, (number - 1) * PART_SIZE, expected)
    if written != expected:
        raise BadRequest(
            f"LFS object {ticket.oid}: part {number} truncated ({written} of {expected} bytes)"
        )
    hub_of(request).lfs.store_part(signature, number, written)
    return Response(status_code=200, headers={"ETag": f'"{ticket.oid[:16]}-{number}"'})


async def complete_multipart(request: Request) -> Response:
    lfs = hub_of(request).lfs
    signature = request.query_params.get("signature", "")
    ticket = lfs.ticket(signature)
    data = decode_json(await read_body(request))
    if not isinstance(data, dict) or data.get("oid") != ticket.oid:
        raise BadRequest(f"completion body must name the object being uploaded ({ticket.oid})")
    try:
        lfs.finish(signature)
    except BadRequest:
        lfs.drop(signature)
        raise
    return JSONResponse({"success": True})


async def verify(request: Request) -> Response:
    data = decode_json(await read_body(request))
    if not isinstance(data, dict) or not isinstance(data.get("oid"), str):
        raise BadRequest("verify body must be {'oid': <sha256>, 'size': <int>}")
    size = data.get("size")
    if not isinstance(size, int):
        raise BadRequest("verify body: 'size' must be an integer")
    hub_of(request).lfs.verify(actor_of(request), _repo_id(request), data["oid"], size)
    return JSONResponse({"success": True}, media_type=LFS_MEDIA_TYPE)


GIT = "/spaces/{namespace}/{name}.git/info/lfs/objects"

routes = [
    Route(GIT + "/batch", batch, methods=["POST"]),
    Route(GIT + "/verify", verify, methods=["POST"]),
    Route("/lfs-objects/{oid}", put_object, methods=["PUT"]),
    Route("/lfs-objects/{oid}", complete_multipart, methods=["POST"]),
]
