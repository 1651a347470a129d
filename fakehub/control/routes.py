"""Control routes: health, clock, reset, policies (Space visits: ``fakehub.control.spaces``).

These are fakehub's own API, not the Hub's; they take JSON and answer JSON, with the same error
format as the Hub routes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import StrictFloat, StrictInt, StrictStr
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub import __version__
from fakehub.api.request import body_model, hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.errors import BadRequest
from fakehub.machines.policy import Policy
from fakehub.timefmt import parse_duration, parse_iso
from fakehub.wire.control.clock import (
    clock_json,
    health_json,
    policies_json,
    policy_json,
    reset_json,
)
from fakehub.wire.parse import WireModel


@control_doc("Liveness and version", response=health_json)
async def health(request: Request) -> Response:
    return JSONResponse(health_json(__version__))


@control_doc("The virtual clock", response=clock_json)
async def get_clock(request: Request) -> Response:
    return JSONResponse(clock_json(hub_of(request).clock_state()))


class AdvanceBody(WireModel):
    seconds: StrictInt | StrictFloat | StrictStr


@control_doc(
    "Move virtual time forward, applying due transitions in order",
    body=AdvanceBody,
    response=clock_json,
)
async def advance_clock(request: Request) -> Response:
    body = await body_model(request, AdvanceBody)
    try:
        seconds = parse_duration(body.seconds)
    except ValueError as exc:
        raise BadRequest(f"seconds: {exc}") from None
    hub = hub_of(request)
    hub.advance(seconds)
    return JSONResponse(clock_json(hub.clock_state()))


class MoveToBody(WireModel):
    to: StrictStr


@control_doc("Jump to an instant (never backwards)", body=MoveToBody, response=clock_json)
async def move_clock(request: Request) -> Response:
    body = await body_model(request, MoveToBody)
    try:
        target = parse_iso(body.to)
    except ValueError:
        raise BadRequest(f"to: not an ISO-8601 timestamp: {body.to!r}") from None
    hub = hub_of(request)
    if target < hub.now():
        raise BadRequest(f"to: {body.to} is in the past; the clock cannot go backwards")
    hub.move_to(target)
    return JSONResponse(clock_json(hub.clock_state()))


class ClockModeBody(WireModel):
    mode: Literal["manual", "realtime"]
    speed: StrictInt | StrictFloat | None = None


@control_doc("Manual or realtime(speed) clock", body=ClockModeBody, response=clock_json)
async def set_clock_mode(request: Request) -> Response:
    body = await body_model(request, ClockModeBody)
    # Faster than this runs the clock past what timestamps can show within a test session.
    if body.speed is not None and not 0 < body.speed <= 100_000:
        raise BadRequest("speed: must be a positive number, at most 100000")
    state = hub_of(request).set_clock_mode(body.mode, body.speed)
    return JSONResponse(clock_json(state))


@control_doc("Back to the starting state", response=reset_json)
async def reset(request: Request) -> Response:
    hub = hub_of(request)
    hub.reset()
    return JSONResponse(reset_json(hub.clock_state()))


class PolicyBody(WireModel):
    policy: StrictStr
    durations: dict[str, StrictStr | StrictInt | StrictFloat] | None = None


@control_doc(
    "Set the progression policy of 'space' or 'job'", body=PolicyBody, response=policy_json
)
async def set_policy(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in ("space", "job"):
        raise BadRequest(f"unknown resource kind {kind!r}: expected 'space' or 'job'")
    body = await body_model(request, PolicyBody)
    try:
        policy = Policy.parse(body.policy, body.durations)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    hub_of(request).set_policy(kind, policy)
    return JSONResponse(policy_json(policy))


@control_doc("Progression policies per kind", response=policies_json)
async def get_policies(request: Request) -> Response:
    policies = hub_of(request).policies()
    return JSONResponse(policies_json(policies.space, policies.job))


routes = [
    Route("/_fakehub/health", health, methods=["GET"]),
    Route("/_fakehub/clock", get_clock, methods=["GET"]),
    Route("/_fakehub/clock/advance", advance_clock, methods=["POST"]),
    Route("/_fakehub/clock/move-to", move_clock, methods=["POST"]),
    Route("/_fakehub/clock/mode", set_clock_mode, methods=["POST"]),
    Route("/_fakehub/reset", reset, methods=["POST"]),
    Route("/_fakehub/policies", get_policies, methods=["GET"]),
    Route("/_fakehub/policies/{kind}", set_policy, methods=["PUT", "POST"]),
]
