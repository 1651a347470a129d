"""``whoami-v2`` and the side routes every client touches (agent harnesses)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub.api.request import hub_of, require_actor
from fakehub.wire.account import whoami_json
from fakehub.wire.responses import JSONResponse


async def whoami(request: Request) -> Response:
    return JSONResponse(whoami_json(hub_of(request).whoami(require_actor(request))))


async def agent_harnesses(request: Request) -> Response:
    # 1.19+ fetch this on their first request to build the user agent; an empty registry means
    # "no agent detected", which is what a test run is.
    return JSONResponse({"standardEnvVars": ["AI_AGENT", "AGENT"], "harnesses": {}})


routes = [
    Route("/api/whoami-v2", whoami, methods=["GET"]),
    Route("/api/agent-harnesses", agent_harnesses, methods=["GET"]),
]
