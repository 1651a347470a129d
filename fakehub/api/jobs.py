"""Job routes (spec §2): run, list, inspect, cancel, labels, rerun, expose, logs, events, metrics,
hardware.

Each route runs its operation and serialises the result at the same instant (``hub.snapshot``)
so the job cannot move in between. Streams check access once, then follow the job (``wire.sse``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from fakehub.api import scheduled_jobs
from fakehub.api.request import actor_of, body_model, endpoint_of, hub_of
from fakehub.domain.catalogue import JOB_FLAVORS
from fakehub.domain.errors import BadRequest, NotAcceptable, NotImplementedByFake
from fakehub.domain.jobs.records import Job
from fakehub.domain.jobs.rules import parse_label_filters, parse_stages
from fakehub.hub import FakeHub
from fakehub.wire.hardware import flavor_json
from fakehub.wire.job_requests import ExposeUpdateBody, JobSpecBody, LabelsBody
from fakehub.wire.jobs import job_json, log_event, stage_event
from fakehub.wire.parse import check_known_params
from fakehub.wire.responses import IntegralJSONResponse, JSONResponse
from fakehub.wire.sse import Batch, frame, sse_response


def _job_response(hub: FakeHub, act: Callable[[], Job]) -> JSONResponse:
    return IntegralJSONResponse(hub.snapshot(act, job_json))


def _ids(request: Request) -> tuple[str, str]:
    return request.path_params["namespace"], request.path_params["job_id"]


async def hardware(request: Request) -> Response:
    return JSONResponse([flavor_json(flavor, ephemeral_storage=True) for flavor in JOB_FLAVORS])


async def run_job(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    body = await body_model(request, JobSpecBody)
    namespace = request.path_params["namespace"]
    return _job_response(hub, lambda: hub.jobs.run(actor, namespace, body.to_spec()))


async def list_jobs(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace = request.path_params["namespace"]
    query = request.query_params
    check_known_params(query.keys(), ("stage", "label", "cursor"), "GET /api/jobs/{namespace}")
    stages = parse_stages(query.getlist("stage"))
    labels = parse_label_filters(query.getlist("label"))
    page, body = hub.snapshot(
        lambda: hub.jobs.list_jobs(
            actor, namespace, stages=stages, labels=labels, cursor=query.get("cursor")
        ),
        lambda page, now: (page, [job_json(job, now) for job in page.jobs]),
    )
    headers = {}
    if page.next_cursor is not None:
        params = [(k, v) for k, v in query.multi_items() if k != "cursor"]
        params.append(("cursor", page.next_cursor))
        url = f"{endpoint_of(request)}{request.url.path}?{urlencode(params)}"
        headers["Link"] = f'<{url}>; rel="next"'
    return JSONResponse(body, headers=headers)


async def count_jobs(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    route = "GET /api/jobs/{namespace}/count"
    check_known_params(request.query_params.keys(), ("stage",), route)
    stages = parse_stages(request.query_params.getlist("stage"))
    return JSONResponse({"count": hub.jobs.count(actor, request.path_params["namespace"], stages)})


async def inspect_job(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    return _job_response(hub, lambda: hub.jobs.inspect(actor, namespace, job_id))


async def cancel_job(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    return _job_response(hub, lambda: hub.jobs.cancel(actor, namespace, job_id))


async def rerun_job(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    return _job_response(hub, lambda: hub.jobs.rerun(actor, namespace, job_id))


async def update_labels(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    body = await body_model(request, LabelsBody)
    return _job_response(
        hub, lambda: hub.jobs.update_labels(actor, namespace, job_id, dict(body.labels))
    )


async def update_expose(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    body = await body_model(request, ExposeUpdateBody)
    return _job_response(
        hub,
        lambda: hub.jobs.update_expose(actor, namespace, job_id, body.ports, body.ports_public),
    )


def _tail(request: Request) -> int | None:
    raw = request.query_params.get("tail")
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise BadRequest(f"tail: expected a non-negative integer, got {raw!r}")
    return int(raw)


async def job_logs(request: Request) -> Response:
    """Replay every line (or the last ``tail``), follow while active, close once terminal."""
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    tail = _tail(request)
    lines = hub.jobs.readable_log_lines(actor, namespace, job_id)
    start = max(0, len(lines) - tail) if tail is not None else 0

    def read(cursor: int) -> Batch:
        lines, finished = hub.jobs.log_lines(namespace, job_id)
        new = lines[start + cursor :]
        return Batch([frame(log_event(line)) for line in new], cursor + len(new), finished)

    return sse_response(read)


async def job_events(request: Request) -> Response:
    """Replay every stage the job entered, follow while active, close once terminal."""
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    hub.jobs.get(actor, namespace, job_id)  # access is checked once, before the stream

    def read(cursor: int) -> Batch:
        events, finished = hub.jobs.stage_events(namespace, job_id)
        new = events[cursor:]
        return Batch([frame(stage_event(e), event="status") for e in new], len(events), finished)

    return sse_response(read)


async def job_metrics(request: Request) -> Response:
    """One sample per virtual second while RUNNING; silent while SCHEDULING; 406 once finished."""
    hub, actor = hub_of(request), actor_of(request)
    namespace, job_id = _ids(request)
    stage = hub.snapshot(lambda: hub.jobs.get(actor, namespace, job_id), lambda job, _: job.stage)
    if stage.terminal:
        raise NotAcceptable(f"Job is not running: it is {stage.value}")

    def read(cursor: int) -> Batch:
        second, sample, finished = hub.jobs.metrics_sample(namespace, job_id)
        if sample is None or second + 1 == cursor:
            return Batch([], cursor, finished)
        return Batch([frame(sample, event="metric")], second + 1, False)

    return sse_response(read)


async def not_implemented(request: Request) -> Response:
    raise NotImplementedByFake(
        f"fakehub does not implement {request.method} {request.url.path}: no huggingface_hub "
        "version calls it"
    )


async def jobs_artifacts(request: Request) -> Response:
    raise BadRequest(
        "fakehub does not emulate buckets or Xet storage, which uploading local files for a job "
        "needs (run_uv_job / hf jobs uv run with a local script, hf jobs run -v ./dir): pass a "
        "script URL or a command instead"
    )


_ANY: list[str] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
_JOB = "/api/jobs/{namespace}/{job_id}"

routes: list[BaseRoute] = [
    Route("/api/jobs/hardware", hardware, methods=["GET"]),
    Route("/api/jobs/{namespace}", run_job, methods=["POST"]),
    Route("/api/jobs/{namespace}", list_jobs, methods=["GET"]),
    Route("/api/jobs/{namespace}/count", count_jobs, methods=["GET"]),
    Route("/api/jobs/{namespace}/auth-check/{perms}", not_implemented, methods=["POST"]),
    Route(_JOB, inspect_job, methods=["GET"]),
    Route(f"{_JOB}/cancel", cancel_job, methods=["POST"]),
    Route(f"{_JOB}/duplicate", rerun_job, methods=["POST"]),
    Route(f"{_JOB}/labels", update_labels, methods=["PUT"]),
    Route(f"{_JOB}/expose", update_expose, methods=["PUT"]),
    Route(f"{_JOB}/logs", job_logs, methods=["GET"]),
    Route(f"{_JOB}/metrics", job_metrics, methods=["GET"]),
    Route(f"{_JOB}/events", job_events, methods=["GET"]),
    Route(f"{_JOB}/auth-check/{{perms}}", not_implemented, methods=["POST"]),
    *scheduled_jobs.routes,
    Route("/api/buckets/{namespace}/jobs-artifacts", jobs_artifacts, methods=_ANY),
    Route("/api/buckets/{namespace}/jobs-artifacts/{rest:path}", jobs_artifacts, methods=_ANY),
]
