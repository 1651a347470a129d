"""Answering Hub requests by calling the fake's ASGI app directly: no socket, no HTTP parsing.

Synchronous callers run the app on an event loop of their own thread (one per thread, made on
first use): the loop runs while the caller waits for the next part of the answer, so a log
stream (SSE, ``follow=True``) reaches the caller chunk by chunk while the app is still writing,
and a plain answer costs no thread switch. A synchronous call made where an event loop is
already running (sync code inside an async test) hands the call to one loop on a background
thread instead. Asynchronous callers run the app as a task on their own event loop. Closing a
reply before its end cancels the app's call, as a client hanging up would.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from fakehub.routing.delivery import AsyncReply, HubRequest, Reply

Message = dict[str, Any]
_END: Message = {"type": "fakehub.end"}

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def _background_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _loop_lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="fakehub-inprocess", daemon=True).start()
            _loop = loop
    return _loop


class _OwnLoop:
    """This thread's loop for answering its requests; closed with the thread (no warning)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        self.loop.close()


_local = threading.local()


def _own_loop() -> asyncio.AbstractEventLoop:
    own: _OwnLoop | None = getattr(_local, "own", None)
    if own is None:
        own = _local.own = _OwnLoop()
    return own.loop


def _scope(request: HubRequest, server: tuple[str, int]) -> dict[str, Any]:
    parts = urlsplit(request.url)
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in request.headers]
    names = {name for name, _ in headers}
    if b"host" not in names:
        headers.insert(0, (b"host", parts.netloc.encode("latin-1")))
    if request.body and b"content-length" not in names:
        headers.append((b"content-length", str(len(request.body)).encode()))
    path = parts.path or "/"
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method.upper(),
        "scheme": parts.scheme or "https",
        "path": unquote(path),
        "raw_path": path.encode("latin-1"),
        "query_string": parts.query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 0),
        # The fake's own socket: what a route needs to hand a native client (hf_xet) a URL
        # it can reach outside this process.
        "server": server,
    }


async def _run(
    app: Any, scope: dict[str, Any], body: bytes, push: Callable[[Message], None]
) -> None:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        # The request has no more body: wait until the caller hangs up (this task is cancelled).
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        push(message)

    try:
        await app(scope, receive, send)
    except Exception as exc:  # the app's own guard answers 500s; this is a last resort
        push({"type": "fakehub.error", "error": exc})
    finally:
        push(_END)


def _start_of(message: Message) -> tuple[int, list[tuple[str, str]]]:
    if message["type"] == "fakehub.error":
        raise message["error"]
    if message["type"] != "http.response.start":
        raise RuntimeError("the fake's app ended without answering")
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
    return int(message["status"]), headers


def _body_of(message: Message) -> tuple[bytes, bool]:
    """One message from the app after the start: (body chunk, whether the body is complete)."""
    kind = message["type"]
    if kind == "http.response.body":
        return message.get("body", b""), not message.get("more_body", False)
    if kind == "fakehub.error":
        raise message["error"]
    return b"", True  # the app returned


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class _SyncReply:
    def __init__(self, status: int, headers: list[tuple[str, str]], messages: Any, task: Any):
        self.status = status
        self.reason = _reason(status)
        self.headers = headers
        self._messages = messages
        self._task = task
        self._done = False

    def iter_chunks(self) -> Iterator[bytes]:
        while not self._done:
            chunk, self._done = _body_of(self._messages.get())
            if chunk:
                yield chunk

    def close(self) -> None:
        if not self._done:
            self._done = True
            self._task.cancel()


class _Inbox:
    """Messages from an app running on this thread's loop, which runs only while we wait."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.messages: deque[Message] = deque()
        self.waiter: asyncio.Future[None] | None = None

    def push(self, message: Message) -> None:
        self.messages.append(message)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def get(self) -> Message:
        while not self.messages:
            self.waiter = self.loop.create_future()
            self.loop.run_until_complete(self.waiter)
        return self.messages.popleft()


class _HereTask:
    """The app's task on this thread's loop; cancelling runs the loop until it has stopped."""

    def __init__(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[None]) -> None:
        self.loop = loop
        self.task = task

    def cancel(self) -> None:
        if not self.task.done():
            self.task.cancel()
            self.loop.run_until_complete(asyncio.wait([self.task]))


class _AsyncReply:
    def __init__(self, status: int, headers: list[tuple[str, str]], messages: Any, task: Any):
        self.status = status
        self.reason = _reason(status)
        self.headers = headers
        self._messages: asyncio.Queue[Message] = messages
        self._task: asyncio.Task[None] = task
        self._done = False

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        while not self._done:
            chunk, self._done = _body_of(await self._messages.get())
            if chunk:
                yield chunk

    async def aclose(self) -> None:
        if not self._done:
            self._done = True
            self._task.cancel()


class AsgiDelivery:
    """Calls ``app`` (the fake's Starlette app) in this process; ``server`` is its socket."""

    def __init__(self, app: Any, server: tuple[str, int]) -> None:
        self.app = app
        self.server = server

    def send(self, request: HubRequest) -> Reply:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._send_here(request)
        return self._send_background(request)

    def _send_here(self, request: HubRequest) -> Reply:
        loop = _own_loop()
        inbox = _Inbox(loop)
        coroutine = _run(self.app, _scope(request, self.server), request.body, inbox.push)
        task = _HereTask(loop, loop.create_task(coroutine))
        status, headers = _start_of(inbox.get())
        return _SyncReply(status, headers, inbox, task)

    def _send_background(self, request: HubRequest) -> Reply:
        messages: queue.SimpleQueue[Message] = queue.SimpleQueue()
        coroutine = _run(self.app, _scope(request, self.server), request.body, messages.put)
        task = asyncio.run_coroutine_threadsafe(coroutine, _background_loop())
        status, headers = _start_of(messages.get())
        return _SyncReply(status, headers, messages, task)

    async def asend(self, request: HubRequest) -> AsyncReply:
        messages: asyncio.Queue[Message] = asyncio.Queue()
        coroutine = _run(self.app, _scope(request, self.server), request.body, messages.put_nowait)
        task = asyncio.get_running_loop().create_task(coroutine)
        status, headers = _start_of(await messages.get())
        return _AsyncReply(status, headers, messages, task)

    def close(self) -> None:
        pass
