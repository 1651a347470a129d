"""File downloads: ``/spaces/{ns}/{name}/resolve/{rev}/{path}`` and ``.../raw/{rev}/{path}``.

Both answer a regular file directly (fakehub stores no LFS objects, so ``raw`` and ``resolve``
serve the same bytes). Headers every client reads (commits.md §5.3): ``X-Repo-Commit``,
``ETag`` (the git blob id) and ``Content-Length``; ``GET`` honours one byte ``Range``
(206 + ``Content-Range``, 416 past the end), which the npm client uses to learn a file's size.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub.api.linked import object_response, xet_headers
from fakehub.api.request import actor_of, endpoint_of, hub_of, raw_segments, repo_id_of
from fakehub.domain.errors import EntryNotFound, RangeNotSatisfiable
from fakehub.domain.spaces.files import FileRead
from fakehub.domain.spaces.records import LfsPointer
from fakehub.domain.spaces.tree import blob_id
from fakehub.wire.errors import error_response
from fakehub.wire.parse import query_flag
from fakehub.wire.ranges import parse_range, unsatisfiable_content_range


def _content_disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_")
    return f"inline; filename*=UTF-8''{quote(name)}; filename=\"{ascii_name}\";"


def _media_type(name: str) -> str:
    media_type = mimetypes.guess_type(name)[0] or "text/plain"
    return media_type + "; charset=utf-8" if media_type.startswith("text/") else media_type


def _file_headers(request: Request, read: FileRead, content: bytes) -> dict[str, str]:
    headers = {
        "X-Repo-Commit": read.commit_oid,
        "ETag": f'"{blob_id(content)}"',
        "Accept-Ranges": "bytes",
        "Content-Length": str(len(content)),
    }
    if not query_flag(request.query_params.get("noContentDisposition")):
        headers["Content-Disposition"] = _content_disposition(read.path.rsplit("/", 1)[-1])
    return headers


async def download(request: Request) -> Response:
    segments = raw_segments(request, 4)  # /spaces/{ns}/{name}/<resolve|raw>/<rev>/<path...>
    revision, path = segments[0], "/".join(segments[1:])
    read = hub_of(request).files.read(actor_of(request), repo_id_of(request), revision, path)
    if read.content is None:
        # X-Repo-Commit lets the client cache the absence (commits.md §5.3).
        missing = EntryNotFound("Entry not found")
        return error_response(missing, extra_headers={"X-Repo-Commit": read.commit_oid})
    content = read.content
    if isinstance(content, LfsPointer):
        if segments_kind(request) != "raw":
            return _linked(request, read, content, path)
        content = content.pointer_text()  # raw serves what git stores: the pointer file
    headers = _file_headers(request, read, content)
    media_type = _media_type(path.rsplit("/", 1)[-1])
    if request.method == "HEAD":
        # Range handling is defined for GET only: HEAD tells the whole file's size.
        return Response(b"", headers=headers, media_type=media_type)
    try:
        wanted = parse_range(request.headers.get("range"), len(content))
    except RangeNotSatisfiable as refused:
        extra = {
            "X-Repo-Commit": read.commit_oid,
            "Content-Range": unsatisfiable_content_range(len(content)),
        }
        return error_response(refused, extra_headers=extra)
    if wanted is None:
        return Response(content, headers=headers, media_type=media_type)
    headers["Content-Range"] = wanted.content_range(len(content))
    headers["Content-Length"] = str(wanted.length)
    body = content[wanted.first : wanted.last + 1]
    return Response(body, status_code=206, headers=headers, media_type=media_type)


def segments_kind(request: Request) -> str:
    """``resolve`` or ``raw``: the verb after ``/spaces/{ns}/{name}``."""
    return request.url.path.split("/")[4]


def _linked(request: Request, read: FileRead, pointer: LfsPointer, path: str) -> Response:
    """An LFS or Xet file: the Hub's linked-object headers, and the bytes from the object store.

    The Hub redirects to a CDN here; fakehub answers the bytes itself (a redirect to the same
    host would be followed by 2.x clients on HEAD, losing ``X-Repo-Commit``).
    """
    headers = _file_headers(request, read, pointer.pointer_text())
    headers["ETag"] = f'"{pointer.sha256}"'
    headers["X-Linked-Etag"] = f'"{pointer.sha256}"'
    headers["X-Linked-Size"] = str(pointer.size)
    headers["Content-Length"] = str(pointer.size)
    if pointer.xet_hash is not None:
        # Clients with hf_xet then download through the CAS (after the read-token route).
        refresh = (
            f"{endpoint_of(request)}/api/spaces/{repo_id_of(request)}/xet-read-token/"
            f"{read.commit_oid}"
        )
        xet_headers(request, headers, pointer.xet_hash, refresh)
    files = hub_of(request).files

    def chunks(start: int, end: int) -> Iterator[bytes]:
        return files.object_bytes(pointer, start, end)

    media_type = _media_type(path.rsplit("/", 1)[-1])
    return object_response(request, pointer.size, headers, media_type, chunks)


routes = [
    Route("/spaces/{namespace}/{name}/resolve/{rest:path}", download, methods=["GET", "HEAD"]),
    Route("/spaces/{namespace}/{name}/raw/{rest:path}", download, methods=["GET", "HEAD"]),
]
