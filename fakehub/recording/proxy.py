"""The recording side: forward a request to the upstream Hub, answer the client, keep the exchange.

The upstream may be the real Hub or any fakehub. Streams (``text/event-stream``) are forwarded
chunk by chunk as they arrive and recorded event by event. URLs the upstream writes with its own
base URL are rewritten to the recorder's, for the client (which checks that ``url`` fields are on
its own host) and, as ``${endpoint}``, for the cassette.

Nothing is written unscrubbed: the :class:`Recorder` keeps raw exchanges in memory and runs the
whole session through one :class:`~fakehub.recording.scrub.Scrubber` each time it saves, so a
token first seen late in a session is still scrubbed from earlier entries.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.responses import Response as StarletteResponse

from fakehub import __version__
from fakehub.recording import cassette as fmt
from fakehub.recording.scrub import Scrubber
from fakehub.recording.streaming import StreamOut
from fakehub.recording.wire import (
    HOP_BY_HOP,
    EventParser,
    body_fields,
    fold_headers,
    is_event_stream,
    map_request,
    map_response,
)


@dataclass
class _Entry:
    at: float
    request: fmt.Request
    response: fmt.Response | None = None
    duration: float = 0.0
    #: set while a stream is being forwarded: what has arrived so far
    parser: EventParser | None = None


class Recorder:
    """Holds a session's exchanges in request order and saves them, scrubbed, after each one."""

    def __init__(
        self, path: Path, scrubber: Scrubber, kept: list[fmt.Interaction] | None = None
    ) -> None:
        self.path = path
        self.scrubber = scrubber
        #: interactions from the cassette being extended (new_episodes), already scrubbed
        self.kept = list(kept or [])
        self._entries: dict[int, _Entry] = {}
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._started = time.monotonic()

    def clock(self) -> float:
        return time.monotonic() - self._started

    def begin(self, request: fmt.Request) -> int:
        with self._lock:
            seq = next(self._seq)
            self.scrubber.learn(request)
            self._entries[seq] = _Entry(at=round(self.clock(), 3), request=request)
            return seq

    def streaming(self, seq: int, head: fmt.Response, parser: EventParser) -> float:
        """Mark ``seq`` as a stream in progress; returns when its request started."""
        with self._lock:
            entry = self._entries[seq]
            entry.response, entry.parser = head, parser
            return entry.at

    def complete(self, seq: int, response: fmt.Response) -> None:
        with self._lock:
            entry = self._entries[seq]
            entry.response, entry.parser = response, None
            entry.duration = round(self.clock() - entry.at, 3)
        self.save()

    def abandon(self, seq: int) -> None:
        """The exchange never happened (the upstream could not be reached): forget it."""
        with self._lock:
            self._entries.pop(seq, None)

    def interactions(self) -> list[fmt.Interaction]:
        """Everything so far, scrubbed; a stream still running is included as ``end: open``."""
        with self._lock:
            out = list(self.kept)
            for entry in self._entries.values():
                if entry.response is None:
                    continue
                response, duration = entry.response, entry.duration
                if entry.parser is not None:
                    events = list(entry.parser.events)
                    response = response.model_copy(update={"events": events, "end": "open"})
                    duration = round(self.clock() - entry.at, 3)
                out.append(
                    fmt.Interaction(
                        at=entry.at,
                        duration=duration,
                        request=self.scrubber.request(entry.request),
                        response=self.scrubber.response(response),
                    )
                )
            return out

    def save(self) -> None:
        cassette = fmt.Cassette(fakehub=__version__, interactions=self.interactions())
        with self._lock:
            fmt.save(cassette, self.path)


class Forwarder:
    """Sends requests to the upstream; one pooled client per server event loop."""

    def __init__(self, upstream: str, recorder: Recorder) -> None:
        self.upstream = upstream.rstrip("/")
        self.recorder = recorder
        self._client: httpx.AsyncClient | None = None

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            # No timeout: log streams stay open as long as the job runs upstream.
            self._client = httpx.AsyncClient(timeout=None, follow_redirects=False)
        return self._client

    async def forward(
        self,
        captured: fmt.Request,
        raw_path: str,
        query_string: str,
        headers: list[tuple[str, str]],
        body: bytes,
        origin: str,
    ) -> StarletteResponse:
        url = self.upstream + raw_path + (f"?{query_string}" if query_string else "")
        sent = [(k, v) for k, v in headers if k.lower() not in _NOT_FORWARDED]
        sent.append(("accept-encoding", "identity"))
        request = self._http().build_request(captured.method, url, headers=sent, content=body)
        stored = map_request(captured, lambda s: _placeholder(s, origin, self.upstream))
        seq = self.recorder.begin(stored)
        upstream = await self._send(request, seq, captured)
        content_type = upstream.headers.get("content-type")
        folded = fold_headers(upstream.headers.multi_items())
        client_headers = [
            (k, v.replace(self.upstream, origin))
            for k, v in upstream.headers.multi_items()
            if k.lower() not in HOP_BY_HOP
        ]
        head = fmt.Response(status=upstream.status_code, headers=folded)
        if is_event_stream(content_type):
            return self._stream(seq, upstream, head, client_headers, origin)
        try:
            content = await upstream.aread()
        finally:
            await upstream.aclose()
        response = fmt.Response(
            status=upstream.status_code, headers=folded, **body_fields(content, content_type)
        )
        self.recorder.complete(seq, self._stored(response, origin))
        return plain_response(
            upstream.status_code,
            client_headers,
            content.replace(self.upstream.encode(), origin.encode()),
        )

    async def _send(
        self, request: httpx.Request, seq: int, captured: fmt.Request
    ) -> httpx.Response:
        """The upstream's answer, streamed; an unreachable upstream abandons the recording."""
        try:
            return await self._http().send(request, stream=True)
        except httpx.HTTPError as exc:
            self.recorder.abandon(seq)
            raise UpstreamError(
                f"fakehub record: cannot reach the upstream {self.upstream} for "
                f"{captured.method} {captured.path}: {type(exc).__name__}: {exc}"
            ) from None

    def _stored(self, response: fmt.Response, origin: str) -> fmt.Response:
        return map_response(response, lambda s: _placeholder(s, origin, self.upstream))

    def _stream(
        self,
        seq: int,
        upstream: httpx.Response,
        head: fmt.Response,
        client_headers: list[tuple[str, str]],
        origin: str,
    ) -> StreamOut:
        parser = EventParser()
        recorder = self.recorder
        started = recorder.streaming(seq, head, parser)

        async def chunks() -> AsyncIterator[bytes]:
            async for chunk in upstream.aiter_bytes():
                parser.feed(chunk, recorder.clock() - started)
                yield chunk.replace(self.upstream.encode(), origin.encode())

        async def finish(completed: bool) -> None:
            await upstream.aclose()
            events = parser.close(recorder.clock() - started)
            end = "closed" if completed else "open"
            response = head.model_copy(update={"events": events, "end": end})
            recorder.complete(seq, self._stored(response, origin))

        return StreamOut(upstream.status_code, client_headers, chunks(), finish=finish)


#: the proxy talks to the upstream on its own connection
_NOT_FORWARDED = frozenset({"host", "accept-encoding", *HOP_BY_HOP} - {"set-cookie"})


def _placeholder(text: str, origin: str, upstream: str) -> str:
    return text.replace(origin, fmt.ENDPOINT).replace(upstream, fmt.ENDPOINT)


class UpstreamError(Exception):
    """The upstream could not be reached; answered as a 502 naming it."""


def plain_response(
    status: int, headers: list[tuple[str, str]], content: bytes
) -> StarletteResponse:
    """A response with exactly these headers (a repeated ``X-HF-Warning`` stays repeated)."""
    response = StarletteResponse(content, status_code=status)
    response.raw_headers = [
        (k.lower().encode("latin-1"), v.encode("latin-1"))
        for k, v in headers
        if k.lower() not in HOP_BY_HOP
    ] + [(b"content-length", str(len(content)).encode())]
    return response
