"""Server-Sent Events: framing, and a stream that follows a resource until it finishes.

The follower re-reads the resource through a callback (which takes the hub's lock) every
``poll_interval`` real seconds: nothing in the hub moves on its own, so a stream notices new log
lines after an operation or a clock advance, and in realtime mode as time passes.

Keep-alive comments are real-time plumbing: at most one every ``keepalive`` real seconds (30 s,
the Hub's rate). More often would reset the 5 s read timer that 1.x/2.x no-follow reads rely
on to finish.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response, StreamingResponse

from fakehub.domain.errors import HubError

KEEPALIVE = b": keep-alive\n\n"


def frame(data: Mapping[str, Any], event: str | None = None) -> bytes:
    """One SSE event: an optional ``event:`` line and a single-line ``data: {json}``.

    JSON is emitted with fixed separators and key order so a replayed history is byte-identical
    on every connection (2.4.0 resumes by comparing events for equality).
    """
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(dict(data), separators=(',', ':'))}\n\n".encode()


@dataclass(frozen=True)
class Batch:
    """What one read of a followed resource produced."""

    frames: list[bytes]
    #: where the next read continues (the reader's own notion, e.g. an index into the log)
    cursor: int
    #: True once nothing more will ever come: the stream then closes cleanly
    finished: bool


def follow(
    read: Callable[[int], Batch],
    *,
    poll_interval: float = 0.05,
    keepalive: float = 30.0,
    first: Batch | None = None,
) -> AsyncIterator[bytes]:
    """The frames of ``read`` as they come; ``first``: the batch at cursor 0, already read."""

    async def stream() -> AsyncIterator[bytes]:
        cursor = 0
        last_sent = time.monotonic()
        pending = first
        while True:
            try:
                batch = pending if pending is not None else read(cursor)
            except HubError:
                # The resource went away mid-stream (deleted, or the hub was reset): the
                # headers are sent, so an error can only end the stream, cleanly.
                return
            pending = None
            cursor = batch.cursor
            for chunk in batch.frames:
                yield chunk
            now = time.monotonic()
            if batch.frames:
                last_sent = now
            if batch.finished:
                return
            if now - last_sent >= keepalive:
                yield KEEPALIVE
                last_sent = now
            await asyncio.sleep(poll_interval)

    return stream()


def sse_response(
    read: Callable[[int], Batch],
    *,
    status_code: int = 200,
    poll_interval: float = 0.05,
    keepalive: float = 30.0,
) -> Response:
    """A stream that follows ``read``; one that is already finished is answered in one piece.

    Re-opening the logs of a finished job is common (clients reconnect, followers poll): that
    answer has a ``Content-Length`` and ends at once, with no stream task or poll loop.
    """
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    first = read(0)
    if first.finished:
        return Response(
            b"".join(first.frames),
            status_code=status_code,
            media_type="text/event-stream",
            headers=headers,
        )
    return StreamingResponse(
        follow(read, poll_interval=poll_interval, keepalive=keepalive, first=first),
        status_code=status_code,
        media_type="text/event-stream",
        headers=headers,
    )
