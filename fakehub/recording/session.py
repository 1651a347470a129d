"""One cassette in one record mode, served as a Starlette app.

Record modes, as in pytest-recording:

* ``none`` (the default, and what CI uses): replay only. The cassette must exist; a request it
  does not hold is an error. No upstream is contacted, none is even configured.
* ``once``: replay when the cassette exists, else record a new one.
* ``new_episodes``: replay what the cassette holds; a request with no unused recorded answer
  goes to the upstream and is appended.
* ``all``: record everything anew, overwriting the cassette.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Literal, get_args

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route

from fakehub.recording import cassette as fmt
from fakehub.recording.matching import Player
from fakehub.recording.proxy import Forwarder, Recorder, UpstreamError
from fakehub.recording.replay import miss_response, replay_response
from fakehub.recording.scrub import Scrubber
from fakehub.recording.wire import (
    REQUEST_HEADERS,
    fold_headers,
    fold_query,
    map_request,
    request_body_fields,
)
from fakehub.wire.responses import HubJSONResponse

RecordMode = Literal["none", "once", "new_episodes", "all"]
RECORD_MODES: tuple[str, ...] = get_args(RecordMode)


class CassetteMismatch(AssertionError):
    """Requests the cassette could not answer (the pytest plugin fails the test with this)."""


class CassetteSession:
    """What the app serves: a player for the cassette, a recorder, or both (new_episodes)."""

    def __init__(
        self,
        path: str | Path,
        mode: str = "none",
        upstream: str | None = None,
        scrub: tuple[str, ...] | list[str] = (),
    ) -> None:
        if mode not in RECORD_MODES:
            raise ValueError(f"unknown record mode {mode!r}; expected one of {RECORD_MODES}")
        self.path = Path(path)
        self.mode = mode
        self.scrubber = Scrubber(scrub)
        exists = self.path.exists()
        replays = mode == "none" or (mode == "once" and exists) or mode == "new_episodes"
        loaded = fmt.load(self.path) if replays and (exists or mode == "none") else None
        self.player = Player(loaded.interactions) if loaded else None
        self.recorder: Recorder | None = None
        self.forwarder: Forwarder | None = None
        if mode == "all" or mode == "new_episodes" or (mode == "once" and not exists):
            if not upstream:
                raise ValueError(f"record mode {mode!r} records, so it needs an upstream URL")
            kept = loaded.interactions if loaded else []
            self.recorder = Recorder(self.path, self.scrubber, kept)
            self.forwarder = Forwarder(upstream, self.recorder)
            self.recorder.save()  # the file exists (and is valid) from the start
        #: error texts of requests the cassette could not answer, in order
        self.misses: list[str] = []
        self._lock = threading.Lock()

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def check(self) -> None:
        """Raise :class:`CassetteMismatch` if any request went unanswered."""
        with self._lock:
            misses = list(self.misses)
        if misses:
            raise CassetteMismatch("\n\n".join(misses))

    async def handle(self, request: Request) -> StarletteResponse:
        body = await request.body()
        captured = _capture(request, body)
        origin = endpoint_of(request)
        if self.player is not None:
            self.scrubber.learn(captured)
            wanted = map_request(
                self.scrubber.request(captured), lambda s: s.replace(origin, fmt.ENDPOINT)
            )
            found = self.player.next(wanted, repeat_last=self.forwarder is None)
            if found is not None:
                return replay_response(found.response, origin)
            if self.forwarder is None and _is_plumbing(captured):
                return HubJSONResponse(AGENT_HARNESSES)
            if self.forwarder is None:
                message = self.player.explain_miss(wanted)
                with self._lock:
                    self.misses.append(message)
                return miss_response(message)
        assert self.forwarder is not None
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        try:
            return await self.forwarder.forward(
                captured,
                raw_path.split("?", 1)[0],
                request.url.query,
                list(request.headers.items()),
                body,
                origin,
            )
        except UpstreamError as exc:
            return HubJSONResponse({"error": str(exc)}, status_code=502)

    async def aclose(self) -> None:
        if self.forwarder is not None:
            await self.forwarder.aclose()

    def save(self) -> None:
        if self.recorder is not None:
            self.recorder.save()


#: 1.19+ clients fetch this once per process (and cache it) to build their user agent, whether
#: or not the recording had it (spec/spaces.md §1.5); an unmatched one gets the Hub's "no agent"
#: answer instead of an error, since it is not part of any workflow.
AGENT_HARNESSES = {"standardEnvVars": ["AI_AGENT", "AGENT"], "harnesses": {}}


def _is_plumbing(request: fmt.Request) -> bool:
    return request.method == "GET" and request.path == "/api/agent-harnesses"


def _capture(request: Request, body: bytes) -> fmt.Request:
    fields = request_body_fields(body, request.headers.get("content-type"), request.url.path)
    return fmt.Request.model_validate(
        {
            "method": request.method,
            "path": request.url.path,
            "query": fold_query(request.url.query),
            "headers": fold_headers(request.headers.items(), keep=REQUEST_HEADERS),
            **fields,
        }
    )


def endpoint_of(request: Request) -> str:
    """The base URL the client used (honouring the plugin's ``X-Forwarded-*`` headers)."""
    scheme = request.headers.get("x-forwarded-proto") or request.url.scheme
    host = request.headers.get("x-forwarded-host") or request.headers.get("host")
    return f"{scheme}://{host or request.url.netloc}"


def create_app(session: CassetteSession) -> Starlette:
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app = Starlette(routes=[Route("/{path:path}", session.handle, methods=methods)])
    app.state.session = session
    return app
