"""``serve --state``: every request that may change state is written down before it is answered.

The fake is deterministic: its state is a function of the starting state, the requests it
accepted with the virtual time each was applied at, and the clock. So the middleware holds the
clock still while a request runs (one writer at a time), and when the route has computed its
answer, **before the first byte of the response is sent**, hands a :class:`JournalEntry` to
``record``, which commits it to disk. A restart replays the entries through the same app.

Which requests: every method but ``GET``/``HEAD``/``OPTIONS``, every request to a Space's app
host (a visit), the ``GET`` that issues a Xet token (the token is state: later uploads present
it), and reads as well while reads change state (a per-poll policy counts polls; fault rules count matches and draw from their
seeded stream). A refused request (4xx) changes nothing and is left out, except while fault
rules are active: then every answer is written, since the rule's count moved.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, AsyncExitStack
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.domain.spaces.apphost import app_host_of
from fakehub.faults.note import is_control
from fakehub.wire.errors import error_body

#: set in the scope of a request being replayed from the journal (faults skip real latency)
REPLAY_KEY = "fakehub.replay"
#: headers that only describe the connection: nothing a route reads
_TRANSPORT = {b"connection", b"content-length", b"accept-encoding", b"user-agent"}
_READS = {"GET", "HEAD", "OPTIONS"}
#: reads that change state: a Xet token is issued (kept, and drawn from the seeded ids)
_ISSUING = re.compile(r"/xet-(read|write)-token(/|$)")


@dataclass(frozen=True)
class JournalEntry:
    """One accepted request, as the app saw it, and the virtual time it was applied at."""

    at_ns: int
    method: str
    path: str
    query: bytes
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    status: int

    def scope(self) -> Scope:
        """An ASGI scope that asks the same thing again."""
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": self.method,
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "root_path": "",
            "query_string": self.query,
            "headers": list(self.headers),
            "client": ("127.0.0.1", 0),
            "server": ("127.0.0.1", 0),
            REPLAY_KEY: True,
        }


@dataclass(frozen=True)
class JournalHooks:
    """What the middleware needs from the store and the hub, read at request time."""

    #: write the entry and commit it (fsync) before returning
    record: Callable[[JournalEntry], None]
    #: hold the virtual clock still for one request; yields the virtual now
    hold: Callable[[], AbstractContextManager[int]]
    #: (reads change state now, fault rules are active)
    modes: Callable[[], tuple[bool, bool]]


class JournalMiddleware:
    """Serialises the requests that may change state and journals the accepted ones."""

    def __init__(self, app: ASGIApp, hooks: JournalHooks) -> None:
        self.app = app
        self.hooks = hooks
        self._writer = asyncio.Lock()
        #: why writes are refused: the file could not be written once, so memory is ahead of it
        self.broken: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get(REPLAY_KEY):
            await self.app(scope, receive, send)
            return
        reads_mutate, faults_active = self.hooks.modes()
        # A visit to a Space's app host or a Xet token changes state whatever the method.
        if scope["method"] in _READS and not reads_mutate and not _changes_state(scope):
            await self.app(scope, receive, send)
            return
        if self.broken is not None:
            await error_body(503, self.broken)(scope, receive, send)
            return
        body, receive = await _buffered(receive)
        async with AsyncExitStack() as held:
            await held.enter_async_context(self._writer)
            at_ns = held.enter_context(self.hooks.hold())
            started = refused = False

            async def journaled_send(message: Message) -> None:
                nonlocal started, refused
                if refused:
                    return  # the route's own answer, replaced by the refusal
                if message["type"] == "http.response.start" and not started:
                    started = True
                    status = int(message["status"])
                    if _kept(status, faults_active and not is_control(scope["path"])):
                        refused = not await self._record(_entry(scope, body, at_ns, status), send)
                        if refused:
                            await held.aclose()
                            return
                    await send(message)
                    await held.aclose()  # the state change is done: let the next writer in
                    return
                await send(message)

            await self.app(scope, receive, journaled_send)

    async def _record(self, entry: JournalEntry, send: Send) -> bool:
        """Commit ``entry``; if the file cannot take it, refuse this and every later write."""
        try:
            self.hooks.record(entry)
        except Exception as exc:  # disk full, file removed, I/O error: fail closed
            self.broken = (
                f"fakehub cannot write its state file ({exc}): writes are refused until the "
                "server is restarted"
            )
            response = error_body(503, self.broken)
            await response({"type": "http"}, _never, send)
            return False
        return True


async def _never() -> Message:
    return {"type": "http.disconnect"}


def _changes_state(scope: Scope) -> bool:
    """A read that changes state all the same: a visit to a Space's app host, a Xet token."""
    return app_host_of(scope) is not None or _ISSUING.search(scope["path"]) is not None


def _kept(status: int, faults_active: bool) -> bool:
    return faults_active or not 400 <= status < 500


def _entry(scope: Scope, body: bytes, at_ns: int, status: int) -> JournalEntry:
    headers = tuple((k, v) for k, v in scope["headers"] if k.lower() not in _TRANSPORT)
    return JournalEntry(
        at_ns=at_ns,
        method=scope["method"],
        path=scope["path"],
        query=scope.get("query_string", b""),
        headers=headers,
        body=body,
        status=status,
    )


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a ``receive`` that hands it out again, then the real one."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    given = False

    async def again() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, again
