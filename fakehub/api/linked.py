"""Answers for files whose bytes live in the object store (LFS and Xet), on Space and bucket
resolve routes: the linked-object headers, the Xet headers and links, one byte range, and the
``application/vnd.xet-fileinfo+json`` answer the JS client asks for."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from fakehub.api.xet import cas_url
from fakehub.domain.errors import RangeNotSatisfiable
from fakehub.wire.responses import JSONResponse

XET_FILEINFO = "application/vnd.xet-fileinfo+json"

#: the bytes of ``[start, end)`` of the file, in pieces
Bytes = Callable[[int, int], Iterator[bytes]]


def reconstruction_url(request: Request, xet_hash: str) -> str:
    return f"{cas_url(request)}/v1/reconstructions/{xet_hash}"


def xet_headers(request: Request, headers: dict[str, str], xet_hash: str, refresh: str) -> None:
    """What makes clients download through Xet: the hash, the token route, the CAS info."""
    reconstruction = reconstruction_url(request, xet_hash)
    headers["X-Xet-Hash"] = xet_hash
    headers["X-Xet-Refresh-Route"] = refresh
    headers["Link"] = (
        f'<{refresh}>; rel="xet-auth", <{reconstruction}>; rel="xet-reconstruction-info"'
    )


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` as [start, end); None for no (or a
    multi-range) header, which gets the whole file."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header.removeprefix("bytes=").partition("-")
    if not first.isdigit() and not (first == "" and last.isdigit()):
        return None
    if first == "":
        return max(size - int(last), 0), size
    start = int(first)
    end = min(int(last) + 1, size) if last.isdigit() else size
    if start >= size or end <= start:
        raise RangeNotSatisfiable(f"Range {header} is outside the file ({size} bytes)")
    return start, end


def object_response(
    request: Request, size: int, headers: dict[str, str], media_type: str, read: Bytes
) -> Response:
    if XET_FILEINFO in request.headers.get("accept", "") and "X-Xet-Hash" in headers:
        body = {
            "hash": headers["X-Xet-Hash"],
            "refreshUrl": headers["X-Xet-Refresh-Route"],
            "reconstructionUrl": reconstruction_url(request, headers["X-Xet-Hash"]),
            "etag": headers["ETag"].strip('"'),
            "size": size,
            "contentType": media_type,
        }
        headers.pop("Content-Length", None)
        return JSONResponse(body, headers=headers, media_type=XET_FILEINFO)
    if request.method == "HEAD":
        return Response(b"", headers=headers, media_type=media_type)
    wanted = byte_range(request.headers.get("range"), size)
    if wanted is None:
        return StreamingResponse(read(0, size), headers=headers, media_type=media_type)
    start, end = wanted
    headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    return StreamingResponse(
        read(start, end), status_code=206, headers=headers, media_type=media_type
    )
