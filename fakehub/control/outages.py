"""``/_fakehub/outages``: make a flavor unavailable for a while.

``POST {"flavor": "a10g-small", "for": "10m", "kind": "both", "start": "<ISO>"}`` declares one
(``kind`` and ``start`` optional: both kinds, from now); ``GET`` lists them; ``DELETE`` clears
them all, and whatever was waiting for capacity proceeds at once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictFloat, StrictInt, StrictStr
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import body_model, hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.errors import BadRequest
from fakehub.timefmt import parse_duration, parse_iso
from fakehub.wire.control.counts import deleted_json
from fakehub.wire.control.outages import outage_json, outages_json
from fakehub.wire.parse import WireModel


class OutageBody(WireModel):
    flavor: StrictStr
    duration: StrictInt | StrictFloat | StrictStr = Field(
        alias="for", description="How long: seconds, or e.g. '90s', '10m', '2h'."
    )
    kind: Literal["space", "job", "both"] = "both"
    start: StrictStr | None = Field(
        default=None, description="When it begins (ISO-8601, not in the past); default now."
    )


@control_doc(
    "Make a flavor unavailable for a while: Spaces that need it wait in their building stage, "
    "Jobs on it wait in SCHEDULING, until it ends",
    body=OutageBody,
    response=outage_json,
    status=201,
)
async def add_outage(request: Request) -> Response:
    body = await body_model(request, OutageBody)
    try:
        seconds = parse_duration(body.duration)
    except ValueError as exc:
        raise BadRequest(f"for: {exc}") from None
    start_ns = None
    if body.start is not None:
        try:
            start_ns = parse_iso(body.start)
        except (ValueError, OverflowError):
            raise BadRequest(f"start: not an ISO-8601 timestamp: {body.start!r}") from None
    hub = hub_of(request)
    outage = hub.outages.add(body.flavor, duration_s=seconds, start_ns=start_ns, kind=body.kind)
    return JSONResponse(outage_json(outage, hub.now()), status_code=201)


@control_doc(
    "Every outage declared since the last reset, ended ones included", response=outages_json
)
async def list_outages(request: Request) -> Response:
    hub = hub_of(request)
    now = hub.now()
    return JSONResponse(outages_json(hub.outages.declared(), now))


@control_doc("Forget every outage; what waited for capacity proceeds now", response=deleted_json)
async def clear_outages(request: Request) -> Response:
    return JSONResponse(deleted_json(hub_of(request).outages.clear()))


routes = [
    Route("/_fakehub/outages", add_outage, methods=["POST"]),
    Route("/_fakehub/outages", list_outages, methods=["GET"]),
    Route("/_fakehub/outages", clear_outages, methods=["DELETE"]),
]
