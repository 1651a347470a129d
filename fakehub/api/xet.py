"""Xet routes: the Hub's token routes, and the CAS server the tokens point at (``/xet-cas``).

The CAS routes follow hub-docs ``docs/xet/api.md``. Their bodies are binary (xorbs, shards)
and bypass the JSON body reader. Xorb bytes are served from signed URLs, as the CDN does.
``exp`` on the token answer is in the client's wall-clock seconds, because clients compare it
with ``time.time()``; the fake itself checks expiry on its virtual clock.
"""

from __future__ import annotations

import time
from functools import partial
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from fakehub.api.request import actor_of, hub_of
from fakehub.domain.errors import BadRequest, NotFound, PayloadTooLarge
from fakehub.domain.xet import TOKEN_SECONDS, XetToken
from fakehub.storage.xet.xorb import MAX_XORB_BYTES
from fakehub.wire.parse import query_flag
from fakehub.wire.responses import JSONResponse
from fakehub.wire.xet import reconstruction_v1_json, reconstruction_v2_json

CAS = "/xet-cas"
#: Largest shard body accepted (a shard for thousands of files stays far below this).
MAX_SHARD_BYTES = 64 * 1024 * 1024


def cas_url(request: Request) -> str:
    """The CAS base URL: the address the request reached (hf_xet cannot be routed in-process)."""
    return f"{request.url.scheme}://{request.url.netloc}{CAS}"


async def token(request: Request) -> Response:
    params = request.path_params
    scope = params["kind"]
    if scope not in ("read", "write"):
        raise NotFound(f"Not found: xet-{scope}-token (expected xet-read-token or xet-write-token)")
    repo_id = f"{params['namespace']}/{params['name']}"
    area = "bucket" if request.url.path.startswith("/api/buckets/") else "space"
    issued = hub_of(request).xet.issue(
        actor_of(request),
        area,
        repo_id,
        scope,
        create_pr=query_flag(request.query_params.get("create_pr")),
    )
    exp = int(time.time()) + TOKEN_SECONDS
    url = cas_url(request)
    headers = {
        "X-Xet-Cas-Url": url,
        "X-Xet-Access-Token": issued.value,
        "X-Xet-Token-Expiration": str(exp),
    }
    body = {"casUrl": url, "accessToken": issued.value, "exp": exp}
    return JSONResponse(body, headers=headers)


def _token(request: Request, write: bool = False) -> XetToken:
    return hub_of(request).xet.authorize(request.headers.get("authorization"), write)


async def _body(request: Request, limit: int, what: str) -> bytearray:
    """The whole body, in one buffer sized from ``Content-Length`` when the client sends it
    (growing a buffer would copy it; a xorb is up to 64 MiB)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        size = int(declared)
        if size > limit:
            raise PayloadTooLarge(f"{what} is {declared} bytes, over the {limit}-byte limit")
        data = bytearray(size)
        view = memoryview(data)
        at = 0
        async for chunk in request.stream():
            if at + len(chunk) > size:
                raise BadRequest(f"{what}: more bytes than its Content-Length ({size})")
            view[at : at + len(chunk)] = chunk
            at += len(chunk)
        view.release()
        if at != size:
            raise BadRequest(f"{what}: truncated upload ({at} of {size} bytes)")
        return data
    grown = bytearray()
    async for chunk in request.stream():
        grown += chunk
        if len(grown) > limit:
            raise PayloadTooLarge(f"{what} is over the {limit}-byte limit")
    return grown


async def upload_xorb(request: Request) -> Response:
    name = request.path_params["hash"]
    if request.path_params["prefix"] != "default":
        raise BadRequest("xorb prefix: only 'default' is accepted")
    token = _token(request, write=True)
    data = await _body(request, MAX_XORB_BYTES, f"xorb {name}")
    inserted = hub_of(request).xet.upload_xorb(token, name, data)
    return JSONResponse({"was_inserted": inserted})


async def head_xorb(request: Request) -> Response:
    _token(request)
    size = hub_of(request).xet.xorb_size(request.path_params["hash"])
    return Response(b"", headers={"Content-Length": str(size)})


async def upload_shard(request: Request) -> Response:
    token = _token(request, write=True)
    data = await _body(request, MAX_SHARD_BYTES, "shard")
    hub_of(request).xet.upload_shard(token, bytes(data))
    return JSONResponse({"result": 1})


async def dedupe(request: Request) -> Response:
    if request.path_params["prefix"] not in ("default", "default-merkledb"):
        # api.md names default-merkledb; hf_xet 1.8 sends default.
        raise BadRequest("chunk prefix: expected 'default-merkledb' or 'default'")
    token = _token(request)
    body = hub_of(request).xet.dedupe(token, request.path_params["hash"])
    return Response(body, media_type="application/octet-stream")


def _range(request: Request) -> tuple[int, int | None]:
    """``Range: bytes=a-b`` (inclusive) as [a, b+1); no header is the whole file."""
    header = request.headers.get("range")
    if not header:
        return 0, None
    spec = header.removeprefix("bytes=")
    first, dash, last = spec.partition("-")
    if not dash or not first.isdigit() or (last and not last.isdigit()) or "," in spec:
        raise BadRequest(f"Range: expected 'bytes=<start>-<end>', got {header!r}")
    return int(first), int(last) + 1 if last else None


def _fetch_url(request: Request, name: str, start: int, end: int) -> str:
    signature = hub_of(request).xet.sign(name, start, end)
    signed = quote(f"bytes={start}-{end}", safe="")
    return f"{cas_url(request)}/xorb/{name}?X-Xet-Signed-Range={signed}&Signature={signature}"


async def reconstruction(request: Request) -> Response:
    token = _token(request)
    start, end = _range(request)
    xet = hub_of(request).xet
    found = xet.reconstruction(token, request.path_params["file_id"], start, end)
    if request.path_params["version"] == "v2":
        return JSONResponse(reconstruction_v2_json(found, partial(_fetch_url, request)))
    return JSONResponse(reconstruction_v1_json(found, partial(_fetch_url, request)))


async def head_file(request: Request) -> Response:
    token = _token(request)
    item = hub_of(request).xet.file(token, request.path_params["file_id"])
    return Response(b"", headers={"Content-Length": str(item.size)})


async def xorb_bytes(request: Request) -> Response:
    """A signed xorb URL: answers the signed range (206), whatever ``Range`` says within it."""
    name = request.path_params["hash"]
    signed = request.query_params.get("X-Xet-Signed-Range", "")
    spec = signed.removeprefix("bytes=")
    first, _, last = spec.partition("-")
    if not first.isdigit() or not last.isdigit():
        raise NotFound("xorb URL: missing or malformed X-Xet-Signed-Range")
    start, end = int(first), int(last)
    asked = request.headers.get("range")
    if asked and asked.removeprefix("bytes=") != spec:
        raise BadRequest(f"Range {asked!r} is not the signed range bytes={spec}")
    signature = request.query_params.get("Signature", "")
    body = hub_of(request).xet.xorb_bytes(name, start, end, signature)
    headers = {
        "Content-Range": f"bytes {start}-{end}/{hub_of(request).xet.xorb_size(name)}",
        "Content-Length": str(end - start + 1),
        "Accept-Ranges": "bytes",
    }
    status = 206 if asked else 200
    return StreamingResponse(
        body, status_code=status, headers=headers, media_type="application/octet-stream"
    )


async def no_v2_shards(request: Request) -> Response:
    # api.md: clients try /v2/shards and fall back to /v1/shards on 404.
    raise NotFound("POST /v2/shards is not served by fakehub's CAS: use /v1/shards")


SPACE = "/api/spaces/{namespace}/{name}"

routes = [
    Route(SPACE + "/xet-{kind:str}-token/{rest:path}", token, methods=["GET"]),
    Route("/api/buckets/{namespace}/{name}/xet-{kind:str}-token", token, methods=["GET"]),
    Route(
        "/api/buckets/{namespace}/{name}/xet-{kind:str}-token/{rest:path}", token, methods=["GET"]
    ),
    Route(CAS + "/v1/xorbs/{prefix}/{hash}", upload_xorb, methods=["POST"]),
    Route(CAS + "/v1/xorbs/{prefix}/{hash}", head_xorb, methods=["HEAD"]),
    Route(CAS + "/v1/shards", upload_shard, methods=["POST"]),
    Route(CAS + "/v2/shards", no_v2_shards, methods=["POST"]),
    Route(CAS + "/v1/chunks/{prefix}/{hash}", dedupe, methods=["GET"]),
    Route(CAS + "/{version:str}/reconstructions/{file_id}", reconstruction, methods=["GET"]),
    Route(CAS + "/v1/files/{file_id}", head_file, methods=["HEAD"]),
    Route(CAS + "/xorb/{hash}", xorb_bytes, methods=["GET"]),
]
