"""Control routes for Spaces: visits, and scripted outcomes of builds and runs.

* ``POST /_fakehub/spaces/{namespace}/{name}/visit``: a visitor opens the Space.
* ``POST /_fakehub/spaces/{namespace}/{name}/outcome``: how its builds and runs turn out,
  ``{"build": "ok"|"error", "buildLogs": [...], "runLogs": [...], "crashAfter": "10m",
  "errorMessage": "...", "app": {"/health": {"status": 200, "body": "ok"}}}`` (every key
  optional; ``{}`` goes back to builds and runs that succeed). The script replaces the previous one and holds for every later build and start.

Unlike Hub bodies, an outcome body refuses unknown keys: a misspelt ``crash_After`` would
otherwise script nothing and the test would pass for the wrong reason.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, StrictFloat, StrictInt, StrictStr
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of, read_body
from fakehub.control.docs import control_doc
from fakehub.domain.errors import BadRequest
from fakehub.domain.spaces.records import AppRoute
from fakehub.timefmt import parse_duration
from fakehub.wire.control.spaces import visit_json
from fakehub.wire.parse import WireModel, decode_json, parse_model
from fakehub.wire.runtime import runtime_json


class AppRouteBody(WireModel):
    """What the Space's app answers on one path of its host while it serves."""

    model_config = ConfigDict(extra="forbid")

    status: StrictInt = Field(default=200, description="HTTP status (100-599)")
    headers: dict[str, StrictStr] = Field(default_factory=dict, description="Response headers")
    body: StrictStr = Field(default="", description="Response body (text)")
    latency: StrictInt | StrictFloat | StrictStr = Field(
        default=0, description="Real seconds (or '2s') before the answer"
    )


class SpaceOutcomeBody(WireModel):
    """How the Space's next builds and starts turn out; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")

    build: Literal["ok", "error"] = Field(
        default="ok", description="'error': every build ends in BUILD_ERROR"
    )
    build_logs: list[StrictStr] | None = Field(
        default=None, alias="buildLogs", description="Build log lines (default: a generic build)"
    )
    run_logs: list[StrictStr] | None = Field(
        default=None, alias="runLogs", description="Run log lines once the app is up"
    )
    crash_after: StrictInt | StrictFloat | StrictStr | None = Field(
        default=None,
        alias="crashAfter",
        description="Seconds (or '10m') after RUNNING at which the app crashes into "
        "RUNTIME_ERROR; 0 crashes it while starting",
    )
    error_message: StrictStr | None = Field(
        default=None,
        alias="errorMessage",
        description="errorMessage of BUILD_ERROR / RUNTIME_ERROR (default: a generic one)",
    )
    app: dict[str, AppRouteBody] | None = Field(
        default=None,
        description="Per path of the app host <owner>-<name>.hf.space (e.g. '/health'): what "
        "the app answers while it serves; other paths get a page naming the Space",
    )


_KEYS = {
    name
    for field_name, info in SpaceOutcomeBody.model_fields.items()
    for name in (field_name, info.alias)
    if name
}
_WIRE_KEYS = sorted(info.alias or name for name, info in SpaceOutcomeBody.model_fields.items())

RUNTIME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The Space's runtime, as GET /api/spaces/{namespace}/{name}/runtime answers",
    "properties": {
        "stage": {"type": "string"},
        "hardware": {"type": "object"},
        "errorMessage": {"type": "string"},
    },
    "required": ["stage", "hardware"],
}


def _repo_id(request: Request) -> str:
    return f"{request.path_params['namespace']}/{request.path_params['name']}"


async def _outcome_body(request: Request) -> SpaceOutcomeBody:
    raw = await read_body(request)
    data = decode_json(raw)
    if isinstance(data, dict):
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise BadRequest(
                f"unknown key(s) {', '.join(map(repr, unknown))}: expected some of "
                + ", ".join(_WIRE_KEYS)
            )
    body = parse_model(SpaceOutcomeBody, raw)
    if body.error_message == "":
        raise BadRequest("errorMessage: must not be empty (leave it out for the default)")
    return body


@control_doc("A visitor opens the Space (wakes it, resets its idle timer)", response=visit_json)
async def visit_space(request: Request) -> Response:
    repo_id = _repo_id(request)
    stage = hub_of(request).spaces.visit(repo_id)
    return JSONResponse(visit_json(repo_id, stage))


@control_doc(
    "Script how the Space's builds and runs turn out; answers its runtime",
    body=SpaceOutcomeBody,
    response=RUNTIME_SCHEMA,
    description="The script holds for every later build and start until the next one. A "
    "RUNNING app crashes crashAfter seconds from now; one scripted with crashAfter 0 crashes "
    "at once. Unknown keys, wrong types and negative durations are a 400 that changes "
    "nothing; an unknown Space is a 404.",
)
async def script_space(request: Request) -> Response:
    body = await _outcome_body(request)
    crash_after = None
    if body.crash_after is not None:
        try:
            crash_after = parse_duration(body.crash_after)
        except ValueError as exc:
            raise BadRequest(f"crashAfter: {exc}") from None
    app = {path: _app_route(path, route) for path, route in (body.app or {}).items()}
    space = hub_of(request).spaces.script(
        _repo_id(request),
        app=app,
        build=body.build,
        build_logs=body.build_logs,
        run_logs=body.run_logs,
        crash_after=crash_after,
        error_message=body.error_message,
    )
    return JSONResponse(runtime_json(space))


def _app_route(path: str, body: AppRouteBody) -> AppRoute:
    try:
        latency = parse_duration(body.latency)
    except ValueError as exc:
        raise BadRequest(f"app {path}: latency: {exc}") from None
    return AppRoute(body.status, tuple(body.headers.items()), body.body, latency)


routes = [
    Route("/_fakehub/spaces/{namespace}/{name}/visit", visit_space, methods=["POST"]),
    Route("/_fakehub/spaces/{namespace}/{name}/outcome", script_space, methods=["POST"]),
]
