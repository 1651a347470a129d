"""httpx and httpx2 (same API, two modules): the connection-pool transports are intercepted.

Every ``Client``/``AsyncClient`` ends in an ``HTTPTransport``/``AsyncHTTPTransport`` (proxy
mounts too), so patching their ``handle_request`` catches every request that would reach the
network, whatever client built it (huggingface_hub's, gradio_client's, a test's own).
Transports a user wrote (``MockTransport``) never reach the network and are left alone.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import TYPE_CHECKING, Any

from fakehub.routing.delivery import AsyncReply, HubRequest, Reply

if TYPE_CHECKING:
    from fakehub.routing.libraries.base import Interceptor, Swap


@functools.cache
def _streams(http: ModuleType) -> tuple[type, type]:
    class ReplyStream(http.SyncByteStream):  # type: ignore[name-defined,misc]
        def __init__(self, reply: Reply) -> None:
            self.reply = reply

        def __iter__(self) -> Any:
            return self.reply.iter_chunks()

        def close(self) -> None:
            self.reply.close()

    class AsyncReplyStream(http.AsyncByteStream):  # type: ignore[name-defined,misc]
        def __init__(self, reply: AsyncReply) -> None:
            self.reply = reply

        def __aiter__(self) -> Any:
            return self.reply.aiter_chunks()

        async def aclose(self) -> None:
            await self.reply.aclose()

    return ReplyStream, AsyncReplyStream


def _response(http: ModuleType, reply: Any, stream: Any) -> Any:
    extensions = {"http_version": b"HTTP/1.1", "reason_phrase": reply.reason.encode("ascii")}
    return http.Response(reply.status, headers=reply.headers, stream=stream, extensions=extensions)


def swaps(interception: Interceptor, http: ModuleType) -> list[Swap]:
    from fakehub.routing.libraries.base import Swap

    library = http.__name__
    sync = Swap(http.HTTPTransport, "handle_request")
    asynchronous = Swap(http.AsyncHTTPTransport, "handle_async_request")
    reply_stream, async_reply_stream = _streams(http)

    def handle_request(self: Any, request: Any) -> Any:
        url = str(request.url)
        if not interception.claims(request.method, url):
            return sync.original(self, request)
        hub_request = HubRequest(
            request.method, url, list(request.headers.multi_items()), request.read()
        )
        reply = interception.send(library, hub_request)
        return _response(http, reply, reply_stream(reply))

    async def handle_async_request(self: Any, request: Any) -> Any:
        url = str(request.url)
        if not interception.claims(request.method, url):
            return await asynchronous.original(self, request)
        body = await request.aread()
        hub_request = HubRequest(request.method, url, list(request.headers.multi_items()), body)
        reply = await interception.asend(library, hub_request)
        return _response(http, reply, async_reply_stream(reply))

    sync.wrapper = handle_request
    asynchronous.wrapper = handle_async_request
    return [sync, asynchronous]
