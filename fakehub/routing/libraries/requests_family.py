"""requests (its ``HTTPAdapter``) and urllib3 (its connection pools).

requests is intercepted at ``HTTPAdapter.send``, so its requests are listed as requests'; code
that uses urllib3 directly is intercepted at ``HTTPConnectionPool.urlopen``, below which urllib3
opens sockets. Both answer with a real ``urllib3.HTTPResponse`` that reads the reply as it
arrives (``stream=True``, ``iter_lines`` on a log stream).
"""

from __future__ import annotations

import functools
import inspect
import io
from typing import TYPE_CHECKING, Any

from fakehub.routing.delivery import HubRequest, Reply

if TYPE_CHECKING:
    from fakehub.routing.libraries.base import Interceptor, Swap


class ReplyReader(io.RawIOBase):
    """A reply's body as a raw file (what urllib3 and urllib read a response from)."""

    def __init__(self, reply: Reply) -> None:
        self._reply = reply
        self._chunks = reply.iter_chunks()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        if not self.closed:
            self._reply.close()
        super().close()


def body_bytes(body: Any) -> bytes:
    """A request body as bytes, whatever form the library was given it in."""
    if body is None:
        return b""
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return body_bytes(body.read())
    return b"".join(body_bytes(part) for part in body)


def urllib3_response(reply: Reply, method: str, url: str, preload: bool) -> Any:
    import urllib3
    from urllib3._collections import HTTPHeaderDict  # where 1.26 and 2.x both have it

    headers = HTTPHeaderDict()
    for name, value in reply.headers:
        headers.add(name, value)
    return urllib3.HTTPResponse(
        body=ReplyReader(reply),
        headers=headers,
        status=reply.status,
        reason=reply.reason,
        version=11,
        preload_content=preload,
        decode_content=True,
        request_method=method,
        request_url=url,
    )


def swaps_requests(interception: Interceptor) -> list[Swap]:
    from requests.adapters import HTTPAdapter

    from fakehub.routing.libraries.base import Swap

    swap = Swap(HTTPAdapter, "send")

    def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        method = request.method or "GET"
        url = request.url or ""
        if not interception.claims(method, url):
            return swap.original(self, request, *args, **kwargs)
        headers = list(request.headers.items())
        reply = interception.send(
            "requests", HubRequest(method, url, headers, body_bytes(request.body))
        )
        response = self.build_response(request, urllib3_response(reply, method, url, False))
        stream = kwargs.get("stream", args[0] if args else False)
        if not stream:
            _ = response.content  # what a non-streamed requests call does before returning
        return response

    swap.wrapper = send
    return [swap]


def swaps_urllib3(interception: Interceptor) -> list[Swap]:
    from urllib3.connectionpool import HTTPConnectionPool

    from fakehub.routing.libraries.base import Swap

    swap = Swap(HTTPConnectionPool, "urlopen")
    signature = _signature(swap.original)

    def urlopen(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        full = url if "://" in url else _pool_url(self, url)
        if not interception.claims(method, full):
            return swap.original(self, method, url, *args, **kwargs)
        bound = signature.bind(self, method, url, *args, **kwargs).arguments
        headers = list(dict(bound.get("headers") or self.headers or {}).items())
        body = body_bytes(bound.get("body"))
        reply = interception.send("urllib3", HubRequest(method, full, headers, body))
        preload = bound.get("preload_content", True)
        return urllib3_response(reply, method, full, bool(preload))

    swap.wrapper = urlopen
    return [swap]


@functools.cache
def _signature(function: Any) -> inspect.Signature:
    return inspect.signature(function)


def _pool_url(pool: Any, path: str) -> str:
    default = 443 if pool.scheme == "https" else 80
    port = "" if pool.port in (None, default) else f":{pool.port}"
    return f"{pool.scheme}://{pool.host}{port}{path}"
