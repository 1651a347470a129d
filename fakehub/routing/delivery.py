"""Getting an intercepted Hub request answered: the request, the reply, and the socket route.

Every interceptor turns its library's request into a :class:`HubRequest` and the
:class:`Reply` back into its library's response. Who answers is a :class:`Delivery`: the fake's
ASGI app called directly in this process (:mod:`fakehub.routing.inprocess`), or — for a fake in
another process (``--fakehub-url``) or a cassette server — :class:`SocketDelivery`, which sends
the request to that server's socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from fakehub.routing.hosts import Router


@dataclass(frozen=True)
class HubRequest:
    method: str
    #: the URL the client asked for (``https://huggingface.co/api/...``)
    url: str
    headers: list[tuple[str, str]]
    body: bytes


class Reply(Protocol):
    """A response whose body may still be arriving (a log stream)."""

    status: int
    reason: str
    headers: list[tuple[str, str]]

    def iter_chunks(self) -> Iterator[bytes]: ...
    def close(self) -> None: ...


class AsyncReply(Protocol):
    status: int
    reason: str
    headers: list[tuple[str, str]]

    def aiter_chunks(self) -> AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


class Delivery(Protocol):
    def send(self, request: HubRequest) -> Reply: ...
    async def asend(self, request: HubRequest) -> AsyncReply: ...
    def close(self) -> None: ...


_HOP_BY_HOP = frozenset({"host", "connection", "keep-alive", "transfer-encoding", "upgrade"})


class _SocketReply:
    def __init__(self, response: Any) -> None:
        self._response = response
        self.status: int = response.status_code
        self.reason: str = response.reason_phrase
        self.headers: list[tuple[str, str]] = list(response.headers.multi_items())

    def iter_chunks(self) -> Iterator[bytes]:
        yield from self._response.iter_raw()

    def close(self) -> None:
        self._response.close()


class _AsyncSocketReply:
    """The socket reply, read on a worker thread so the caller's event loop never blocks."""

    def __init__(self, reply: _SocketReply) -> None:
        self._reply = reply
        self.status = reply.status
        self.reason = reply.reason
        self.headers = reply.headers

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        chunks = self._reply.iter_chunks()
        while True:
            chunk = await asyncio.to_thread(next, chunks, None)
            if chunk is None:
                return
            yield chunk

    async def aclose(self) -> None:
        await asyncio.to_thread(self._reply.close)


_CLIENTS: list[Any] = []


def _shared_client() -> Any:
    """One httpx client per process: building one builds an SSL context (tens of ms)."""
    if not _CLIENTS:
        import httpx

        _CLIENTS.append(httpx.Client(timeout=None, trust_env=False))
    return _CLIENTS[0]


def close_socket_clients() -> None:
    while _CLIENTS:
        _CLIENTS.pop().close()


class SocketDelivery:
    """Sends Hub requests to the fake's (or a cassette server's) loopback socket."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._client = _shared_client()

    def send(self, request: HubRequest) -> Reply:
        forward = self.router.forward(request.url)
        headers = [(k, v) for k, v in request.headers if k.lower() not in _HOP_BY_HOP]
        headers.extend(forward.headers)
        built = self._client.build_request(
            request.method, forward.url, headers=headers, content=request.body
        )
        return _SocketReply(self._client.send(built, stream=True))

    async def asend(self, request: HubRequest) -> AsyncReply:
        reply = await asyncio.to_thread(self.send, request)
        assert isinstance(reply, _SocketReply)
        return _AsyncSocketReply(reply)

    def close(self) -> None:
        pass  # the client is shared (close_socket_clients ends it with the session)
