"""``/_fakehub/requests`` (the request log) and ``/_fakehub/state`` (the state dump)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of
from fakehub.control.docs import QueryParam, control_doc
from fakehub.domain.errors import BadRequest
from fakehub.faults.rules import HTTP_METHODS
from fakehub.wire.control.counts import deleted_json
from fakehub.wire.control.requests import requests_json
from fakehub.wire.responses import StateJSONResponse

_FILTERS = (
    QueryParam("method", "exact HTTP method, e.g. GET"),
    QueryParam("path", "a path prefix, or a glob / route template when it has *, ? or {"),
    QueryParam("status", "a status (429) or a class (4xx)"),
    QueryParam("fault", "a fault id, or * for every faulted request"),
    QueryParam("user", "the user whose token made the request"),
    QueryParam("since", "only entries with seq greater than this", {"type": "integer"}),
)
_NAMES = {param.name for param in _FILTERS}


def _filters(request: Request) -> dict[str, Any]:
    query = request.query_params
    unknown = sorted(set(query) - _NAMES)
    if unknown:
        raise BadRequest(f"unknown filter(s) {unknown}: expected some of {sorted(_NAMES)}")
    found: dict[str, Any] = {k: query[k] for k in _NAMES & set(query) if k != "since"}
    method = found.get("method")
    if method is not None and method.upper() not in HTTP_METHODS:
        raise BadRequest(f"method: unknown method {method!r}: expected one of {HTTP_METHODS}")
    since = query.get("since")
    if since is not None:
        if not since.isdigit() or len(since) > 18:
            raise BadRequest(f"since: expected a non-negative integer, got {since!r}")
        found["since"] = int(since)
    return found


@control_doc(
    "What the fake was asked, oldest first (control API calls are not logged)",
    response=requests_json,
    query=_FILTERS,
)
async def list_requests(request: Request) -> Response:
    log = hub_of(request).request_log
    try:
        entries = log.find(**_filters(request))
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return JSONResponse(requests_json(entries, log.evicted))


@control_doc("Empty the request log", response=deleted_json)
async def clear_requests(request: Request) -> Response:
    return JSONResponse(deleted_json(hub_of(request).request_log.clear()))


@control_doc(
    "A canonical snapshot of everything the hub holds (secret values redacted)",
    response={"type": "object"},
)
async def state(request: Request) -> Response:
    return StateJSONResponse(hub_of(request).dump())


routes = [
    Route("/_fakehub/requests", list_requests, methods=["GET"]),
    Route("/_fakehub/requests", clear_requests, methods=["DELETE"]),
    Route("/_fakehub/state", state, methods=["GET"]),
]
