"""``GET /_fakehub/events``: one Server-Sent Events stream that says when the fake changed.

A page (the dashboard) keeps one such stream open and re-reads what it shows when a ``change``
event arrives, instead of polling every view. The stream does not carry the state itself: it
carries a ``version`` and the clock, so a slow reader never falls behind a backlog.

What counts as a change: the virtual clock moved, a Hub request was logged, any request other
than GET/HEAD/OPTIONS was answered (control calls included: a fault added, a scenario loaded),
or the hub was reset. The app's edge (:mod:`fakehub.middleware.edge`) counts the writes; the
stream compares a cheap fingerprint every :data:`POLL_SECONDS` of wall time (the server's own
pace, never the virtual clock's) and sends a ``change`` event when it differs. A comment line
every :data:`KEEPALIVE_SECONDS` keeps proxies from closing a quiet stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from fakehub.api.request import hub_of
from fakehub.control.docs import control_doc
from fakehub.hub import FakeHub
from fakehub.middleware.changes import Changes
from fakehub.timefmt import iso

POLL_SECONDS = 0.2
KEEPALIVE_SECONDS = 15.0


def changes_of(request: Request) -> Changes:
    changes = getattr(request.app.state, "changes", None)
    return changes if isinstance(changes, Changes) else Changes()


def _fingerprint(hub: FakeHub, changes: Changes) -> tuple[int, ...]:
    log = hub.request_log
    now = hub.now()  # applies due events: under a realtime clock the page sees them happen
    # a reset makes a new request log: its identity says the hub started over
    return (id(log), now, len(log), log.evicted, changes.writes)


def _event(name: str, version: int, hub: FakeHub) -> bytes:
    state = hub.clock_state()
    data = {"version": version, "now": iso(state.now_ns), "nowNs": state.now_ns}
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


async def _stream(request: Request) -> AsyncIterator[bytes]:
    hub, changes = hub_of(request), changes_of(request)
    version = 0
    seen = _fingerprint(hub, changes)
    yield b"retry: 1000\n\n" + _event("hello", version, hub)
    quiet = 0.0
    while True:
        await asyncio.sleep(POLL_SECONDS)
        current = _fingerprint(hub, changes)
        if current != seen:
            seen, version, quiet = current, version + 1, 0.0
            yield _event("change", version, hub)
            continue
        quiet += POLL_SECONDS
        if quiet >= KEEPALIVE_SECONDS:
            quiet = 0.0
            yield b": keep-alive\n\n"


@control_doc(
    "A Server-Sent Events stream: a 'change' event whenever the fake's state may have changed",
    response={"type": "string", "description": "Server-Sent Events"},
    media_type="text/event-stream",
    description="Events: 'hello' once, then 'change' with {version, now, nowNs} whenever the "
    "clock moved, a Hub request was logged or a write was answered. Read the views again on "
    "each change; one stream per page is enough.",
)
async def events(request: Request) -> Response:
    return StreamingResponse(
        _stream(request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


routes = [Route("/_fakehub/events", events, methods=["GET"])]
