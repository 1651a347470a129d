"""The ASGI middleware that applies fault rules to Hub requests.

* ``when: "before"``: the fault answers (or delays) **instead of** the route: a faulted mutation
  did not happen.
* ``when: "after"``: the route runs to the point of answering, **then** the fault replaces,
  delays or cuts that answer: the mutation happened, the client just cannot tell.
* ``latency`` is ``asyncio.sleep`` of **real** seconds (the client's own timeouts are real),
  taken before the route runs (``before``) or after it answered (``after``).
* a drop sends the status line and headers, then at most ``dropAfterBytes`` body bytes or
  ``dropAfterEvents`` SSE events, and returns without finishing the response: uvicorn then
  closes the connection ("incomplete body" / "incomplete chunked read" in the client). An
  answer shorter than the limit is delivered whole.

Faults never apply to ``/_fakehub/*``. What was applied is noted in the ASGI scope under
``"fakehub.fault"`` (a :class:`fakehub.faults.note.FaultNote`) for the request log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Sequence

from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.faults.book import FaultBook, Hit, RequestInfo
from fakehub.faults.note import SCOPE_KEY, FaultNote, is_control
from fakehub.faults.rules import FaultRule
from fakehub.middleware.journal import REPLAY_KEY

Sleep = Callable[[float], Awaitable[None]]


async def real_sleep(seconds: float) -> None:
    """Latency is real time: the client's own timeouts are. (Tests patch this to record.)"""
    await asyncio.sleep(seconds)


class _Cut(Exception):
    """Raised from inside ``send`` to stop the route once its answer is no longer wanted."""


class _Cutter:
    """Counts body bytes or SSE events and says where the connection is cut."""

    def __init__(self, rule: FaultRule) -> None:
        self.bytes_left = rule.drop_after_bytes
        self.events_left = rule.drop_after_events
        self._newline = False
        self._block_start = True
        self._comment = False

    def take(self, chunk: bytes) -> tuple[bytes, bool]:
        """The part of ``chunk`` to send, and whether to cut the connection after it."""
        if self.bytes_left is not None:
            if len(chunk) < self.bytes_left:
                self.bytes_left -= len(chunk)
                return chunk, False
            return chunk[: self.bytes_left], True
        assert self.events_left is not None
        if self.events_left == 0:
            return b"", True
        for index, byte in enumerate(chunk):
            if self._block_start:
                self._comment, self._block_start = byte == ord(":"), False
            if byte == ord("\n") and self._newline:
                # A blank line ends an event; keep-alive comments are not events.
                self._block_start = True
                if not self._comment:
                    self.events_left -= 1
                    if self.events_left == 0:
                        return chunk[: index + 1], True
            self._newline = byte == ord("\n")
        return chunk, False


def fault_answer(hit: Hit) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and body of a fault's own answer."""
    rule = hit.fault.rule
    assert rule.status is not None
    headers = {name.lower(): (name, value) for name, value in rule.headers.items()}
    if hit.retry_after is not None:
        headers.setdefault("retry-after", ("Retry-After", str(hit.retry_after)))
        headers.setdefault("ratelimit", ("RateLimit", f'"api";r=0;t={hit.retry_after}'))
    content_type = headers.get("content-type", ("", ""))[1]
    if rule.body is None:
        body = b""
        if rule.status >= 400:
            message = f"fakehub fault {hit.fault.id}: injected HTTP {rule.status}"
            body = json.dumps({"error": message}).encode()
    elif isinstance(rule.body, str) and content_type and "json" not in content_type:
        body = rule.body.encode()
    else:
        body = json.dumps(rule.body).encode()
    if body and not content_type:
        headers["content-type"] = ("Content-Type", "application/json")
    headers["content-length"] = ("Content-Length", str(len(body)))
    raw = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in headers.values()
    ]
    return rule.status, raw, body


class FaultMiddleware:
    """``book``: the hub's current fault book (a reset replaces it); ``now``: the virtual clock."""

    def __init__(
        self,
        app: ASGIApp,
        book: Callable[[], FaultBook],
        now: Callable[[], int],
        router: Router | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.app = app
        self.book = book
        self.now = now
        self.router = router
        self._sleep = sleep

    async def sleep(self, seconds: float) -> None:
        await (self._sleep or real_sleep)(seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # No rules (the common case): skip the route lookup that describing a request costs.
        book = self.book()
        if scope["type"] != "http" or not book or is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        hit = book.match(self.describe(scope), self.now())
        if hit is None:
            await self.app(scope, receive, send)
            return
        rule = hit.fault.rule
        # A request replayed from the ``serve --state`` journal was already slowed once.
        latency = 0.0 if scope.get(REPLAY_KEY) else rule.latency_seconds
        note = FaultNote(id=hit.fault.id, when=rule.when, latency=latency)
        scope[SCOPE_KEY] = note
        if rule.when == "after":
            await self._after(hit, note, scope, receive, send)
            return
        if note.latency:
            await self.sleep(note.latency)
        if rule.status is None:
            await self.app(scope, receive, send)  # latency only: a slow Hub
        else:
            await self._answer(hit, note, send)

    def _routes_for(self, scope: Scope) -> Sequence[BaseRoute]:
        """The routes that may serve the request: the router's index narrows them when it has
        one (``fakehub.router.IndexedRouter``), in the same order."""
        if self.router is None:
            return ()
        index = getattr(self.router, "index", None)
        if index is None:
            return self.router.routes
        found: Sequence[BaseRoute] = index.candidates(scope["path"])
        return found

    def describe(self, scope: Scope) -> RequestInfo:
        """Method and path, plus the namespace and resource of the route that serves it."""
        params: dict[str, object] = {}
        for route in self._routes_for(scope):
            if isinstance(route, Route):
                match, child = route.matches(scope)
                if match is not Match.NONE:
                    params = child.get("path_params", {})
                    break
        namespace = params.get("namespace")
        resources = {
            str(value) for key, value in params.items() if key == "id" or key.endswith("_id")
        }
        if isinstance(namespace, str) and "name" in params:
            resources.add(f"{namespace}/{params['name']}")
        return RequestInfo(
            method=scope["method"],
            path=scope["path"],
            namespace=namespace if isinstance(namespace, str) else None,
            resources=frozenset(resources),
        )

    async def _answer(self, hit: Hit, note: FaultNote, send: Send) -> None:
        status, headers, body = fault_answer(hit)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if hit.fault.rule.drops:
            part, cut = _Cutter(hit.fault.rule).take(body)
            if cut:
                note.dropped = True
                await send({"type": "http.response.body", "body": part, "more_body": True})
                return  # never finished: the server closes the connection
        await send({"type": "http.response.body", "body": body})

    async def _after(
        self, hit: Hit, note: FaultNote, scope: Scope, receive: Receive, send: Send
    ) -> None:
        rule = hit.fault.rule
        replace = rule.status is not None
        cutter = _Cutter(rule) if rule.drops and not replace else None

        async def route_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                note.route_status = message["status"]
                if note.latency:
                    await self.sleep(note.latency)
                if replace:
                    raise _Cut  # the route has answered: what it did stays done
            elif message["type"] == "http.response.body" and cutter is not None:
                part, cut = cutter.take(message.get("body", b""))
                if cut:
                    note.dropped = True
                    await send({"type": "http.response.body", "body": part, "more_body": True})
                    raise _Cut
            await send(message)

        with contextlib.suppress(_Cut):
            await self.app(scope, receive, route_send)
        if replace:
            await self._answer(hit, note, send)
