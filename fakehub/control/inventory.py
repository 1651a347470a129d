"""Control routes that show what the fake holds, across namespaces (the dashboard's data).

* ``GET /_fakehub/overview``: counts by stage, the clock, faults, outages, scenario, billing;
* ``GET /_fakehub/spaces`` and ``GET /_fakehub/spaces/{namespace}/{name}``;
* ``GET /_fakehub/jobs`` and ``GET /_fakehub/jobs/{namespace}/{job_id}`` (with log lines from
  ``logsFrom`` and the current metrics sample);
* ``GET /_fakehub/scheduled-jobs``;
* ``GET /_fakehub/scenarios``: the shipped scenarios a ``POST /_fakehub/scenario`` can load.

Lists are pages (``offset``, ``limit`` up to 500, ``stage``, ``q`` a substring of the id);
a parameter they do not know is a 400. Secret values never appear, only their keys.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of
from fakehub.control import job_views, space_views
from fakehub.control.docs import QueryParam, control_doc
from fakehub.control.pages import PageQuery, parse_page
from fakehub.domain.errors import BadRequest
from fakehub.scenario.loader import shipped_scenarios
from fakehub.wire.control.views import page_json, shipped_json

_PAGE = (
    QueryParam("offset", "items to skip", {"type": "integer", "minimum": 0}),
    QueryParam("limit", "items per page (default 50, at most 500)", {"type": "integer"}),
    QueryParam("stage", "only this stage, e.g. RUNNING"),
    QueryParam("q", "a case-insensitive substring of the id"),
)
_RESOURCE = {"type": "object", "description": "the resource, its stage history and charges"}


def _query(request: Request, stages: tuple[str, ...]) -> PageQuery:
    return parse_page(dict(request.query_params), stages)


@control_doc(
    "Counts by stage, the clock, faults, outages, scenario and billing",
    response=space_views.overview,
)
async def get_overview(request: Request) -> Response:
    return JSONResponse(space_views.overview(hub_of(request)))


@control_doc("A page of Spaces, every namespace, by id", response=page_json, query=_PAGE)
async def get_spaces(request: Request) -> Response:
    query = _query(request, space_views.SPACE_STAGES)
    return JSONResponse(space_views.list_spaces(hub_of(request), query))


@control_doc(
    "One Space: runtime, variables, secret keys, files, stage history, charges, logs",
    response=_RESOURCE,
)
async def get_space(request: Request) -> Response:
    repo_id = f"{request.path_params['namespace']}/{request.path_params['name']}"
    return JSONResponse(space_views.space_detail(hub_of(request), repo_id))


@control_doc("A page of Jobs, every namespace, newest first", response=page_json, query=_PAGE)
async def get_jobs(request: Request) -> Response:
    query = _query(request, job_views.JOB_STAGES)
    return JSONResponse(job_views.list_jobs(hub_of(request), query))


_LOGS_FROM = QueryParam(
    "logsFrom", "index of the first log line to return (default 0)", {"type": "integer"}
)


@control_doc(
    "One Job: spec, durations, cost, stage history, log lines from logsFrom, metrics",
    response=_RESOURCE,
    query=(_LOGS_FROM,),
)
async def get_job(request: Request) -> Response:
    params = dict(request.query_params)
    unknown = sorted(set(params) - {"logsFrom"})
    if unknown:
        raise BadRequest(f"unknown parameter(s) {unknown}: expected logsFrom")
    text = params.get("logsFrom", "0")
    if not text.isdigit() or len(text) > 9:
        raise BadRequest(f"logsFrom: expected a non-negative integer, got {text!r}")
    namespace, job_id = request.path_params["namespace"], request.path_params["job_id"]
    return JSONResponse(job_views.job_detail(hub_of(request), namespace, job_id, int(text)))


@control_doc("A page of scheduled Jobs, next run first", response=page_json, query=_PAGE)
async def get_scheduled_jobs(request: Request) -> Response:
    query = _query(request, ())
    if query.stage is not None:
        raise BadRequest("stage: scheduled jobs have no stage")
    return JSONResponse(job_views.list_scheduled(hub_of(request), query))


@control_doc(
    "The shipped scenarios POST /_fakehub/scenario can load by name", response=shipped_json
)
async def get_shipped_scenarios(request: Request) -> Response:
    return JSONResponse(shipped_json(shipped_scenarios()))


routes = [
    Route("/_fakehub/overview", get_overview, methods=["GET"]),
    Route("/_fakehub/spaces", get_spaces, methods=["GET"]),
    Route("/_fakehub/spaces/{namespace}/{name}", get_space, methods=["GET"]),
    Route("/_fakehub/jobs", get_jobs, methods=["GET"]),
    Route("/_fakehub/jobs/{namespace}/{job_id}", get_job, methods=["GET"]),
    Route("/_fakehub/scheduled-jobs", get_scheduled_jobs, methods=["GET"]),
    Route("/_fakehub/scenarios", get_shipped_scenarios, methods=["GET"]),
]
