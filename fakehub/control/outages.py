"""``/_fakehub/outages``: make a flavor unavailable for a while.

``POST {"flavor": "a10g-small", "for": "10m", "kind": "both", "start": "<ISO>"}`` declares one
(``kind`` and ``start`` optional: both kinds, from now); ``GET`` lists them; ``DELETE`` clears
them all, and whatever was waiting for capacity proceeds at once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import body_model, hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.errors import BadRequest
from fakehub.domain.outages.book import Outage
from fakehub.timefmt import iso, parse_duration, parse_iso
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


class OutageOut(BaseModel):
    flavor: str
    kind: Literal["space", "job", "both"]
    start: str
    end: str
    startNs: int
    endNs: int
    active: bool


class OutageList(BaseModel):
    outages: list[OutageOut]


class Cleared(BaseModel):
    deleted: int


def outage_json(outage: Outage, now_ns: int) -> dict[str, object]:
    return {
        "flavor": outage.flavor,
        "kind": outage.kind,
        "start": iso(outage.start_ns),
        "end": iso(outage.end_ns),
        "startNs": outage.start_ns,
        "endNs": outage.end_ns,
        "active": outage.active(now_ns),
    }


@control_doc(
    "Make a flavor unavailable for a while: Spaces that need it wait in their building stage, "
    "Jobs on it wait in SCHEDULING, until it ends",
    body=OutageBody,
    response=OutageOut,
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


@control_doc("Every outage declared since the last reset, ended ones included", response=OutageList)
async def list_outages(request: Request) -> Response:
    hub = hub_of(request)
    now = hub.now()
    return JSONResponse({"outages": [outage_json(o, now) for o in hub.outages.declared()]})


@control_doc("Forget every outage; what waited for capacity proceeds now", response=Cleared)
async def clear_outages(request: Request) -> Response:
    return JSONResponse({"deleted": hub_of(request).outages.clear()})


routes = [
    Route("/_fakehub/outages", add_outage, methods=["POST"]),
    Route("/_fakehub/outages", list_outages, methods=["GET"]),
    Route("/_fakehub/outages", clear_outages, methods=["DELETE"]),
]
