"""Bucket routes: create, info, list, delete, settings, tree, paths-info, batch, resolve.

(Move goes through ``POST /api/repos/move`` with ``type: "bucket"``, in ``api/repos.py``; the
Xet token routes are in ``api/xet.py``.)
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub.api.linked import object_response, xet_headers
from fakehub.api.request import actor_of, body_model, endpoint_of, hub_of, offset_page, read_body
from fakehub.wire.buckets import (
    BucketPathsBody,
    BucketSettingsBody,
    CreateBucketBody,
    bucket_file_json,
    bucket_json,
    entry_json,
    parse_batch,
)
from fakehub.wire.parse import parse_model, query_flag
from fakehub.wire.responses import JSONResponse

PAGE = 1000


def _bucket_id(request: Request) -> str:
    return f"{request.path_params['namespace']}/{request.path_params['name']}"


def _raw_tail(request: Request, skip: int) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    parts = raw.decode("latin-1").split("?", 1)[0].split("/")[skip + 1 :]
    return "/".join(unquote(p) for p in parts)


async def create(request: Request) -> Response:
    raw = await read_body(request)
    body = parse_model(CreateBucketBody, raw) if raw.strip() else CreateBucketBody()
    bucket = hub_of(request).buckets.create(
        actor_of(request),
        request.path_params["namespace"],
        request.path_params["name"],
        private=body.is_private(),
        region=body.region,
        resource_group_id=body.resource_group_id,
    )
    url = f"{endpoint_of(request)}/buckets/{bucket.bucket_id}"
    return JSONResponse({"url": url, "name": bucket.bucket_id, "id": bucket.id})


async def info(request: Request) -> Response:
    bucket = hub_of(request).buckets.info(actor_of(request), _bucket_id(request))
    return JSONResponse(bucket_json(bucket))


async def delete(request: Request) -> Response:
    hub_of(request).buckets.delete(actor_of(request), _bucket_id(request))
    return Response(status_code=200)


async def list_buckets(request: Request) -> Response:
    found = hub_of(request).buckets.list_buckets(
        actor_of(request), request.path_params["namespace"], request.query_params.get("search")
    )
    return _paged(request, [bucket_json(b) for b in found])


def _paged(request: Request, items: list[dict[str, object]]) -> Response:
    page, headers = offset_page(request, items, PAGE)
    return JSONResponse(list(page), headers=headers)


async def settings(request: Request) -> Response:
    body = await body_model(request, BucketSettingsBody)
    hub_of(request).buckets.update_settings(actor_of(request), _bucket_id(request), body.private)
    return JSONResponse({})


async def tree(request: Request) -> Response:
    prefix = _raw_tail(request, 5)  # /api/buckets/{ns}/{name}/tree/<prefix>
    recursive = query_flag(request.query_params.get("recursive"))
    entries = hub_of(request).buckets.tree(
        actor_of(request), _bucket_id(request), prefix, recursive
    )
    return _paged(request, [entry_json(e) for e in entries])


async def paths_info(request: Request) -> Response:
    body = await body_model(request, BucketPathsBody)
    found = hub_of(request).buckets.paths_info(actor_of(request), _bucket_id(request), body.paths)
    return JSONResponse([bucket_file_json(path, item) for path, item in found])


async def batch(request: Request) -> Response:
    ops = parse_batch(await read_body(request))
    failures = hub_of(request).buckets.batch(actor_of(request), _bucket_id(request), ops)
    if failures:
        failed = [{"path": path, "error": error} for path, error in failures]
        body = {"success": False, "processed": len(ops), "succeeded": 0, "failed": failed}
        return JSONResponse(body, status_code=422)
    body = {"success": True, "processed": len(ops), "succeeded": len(ops), "failed": []}
    return JSONResponse(body)


async def resolve(request: Request) -> Response:
    bucket_id = _bucket_id(request)
    path = _raw_tail(request, 4)  # /buckets/{ns}/{name}/resolve/<path>
    hub = hub_of(request)
    item = hub.buckets.read(actor_of(request), bucket_id, path)
    refresh = f"{endpoint_of(request)}/api/buckets/{bucket_id}/xet-read-token"
    name = path.rsplit("/", 1)[-1]
    headers = {
        "ETag": f'"{item.xet_hash}"',
        "X-Linked-Size": str(item.size),
        "Content-Length": str(item.size),
        "Accept-Ranges": "bytes",
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}",
    }
    xet_headers(request, headers, item.xet_hash, refresh)
    media_type = item.content_type or "application/octet-stream"

    def read(start: int, end: int) -> Iterator[bytes]:
        return hub.xet.file_bytes(item.xet_hash, start, end)

    return object_response(request, item.size, headers, media_type, read)


BUCKET = "/api/buckets/{namespace}/{name}"

routes = [
    Route("/api/buckets/{namespace}", list_buckets, methods=["GET"]),
    Route(BUCKET, create, methods=["POST"]),
    Route(BUCKET, info, methods=["GET"]),
    Route(BUCKET, delete, methods=["DELETE"]),
    Route(BUCKET + "/settings", settings, methods=["PUT"]),
    Route(BUCKET + "/tree", tree, methods=["GET"]),
    Route(BUCKET + "/tree/{rest:path}", tree, methods=["GET"]),
    Route(BUCKET + "/paths-info", paths_info, methods=["POST"]),
    Route(BUCKET + "/batch", batch, methods=["POST"]),
    Route("/buckets/{namespace}/{name}/resolve/{rest:path}", resolve, methods=["GET", "HEAD"]),
]
