"""Scheduled-job routes (spec §12): create, list, inspect, delete, suspend, resume, trigger,
labels, reschedule. Part of the Jobs routes (``fakehub.api.jobs`` includes them)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from fakehub.api.request import actor_of, body_model, hub_of
from fakehub.domain.errors import BadRequest
from fakehub.domain.jobs.rules import parse_label_filters
from fakehub.domain.jobs.scheduled import ScheduledJob
from fakehub.hub import FakeHub
from fakehub.wire.job_requests import LabelsBody, ScheduleBody, ScheduledJobBody
from fakehub.wire.jobs import job_json, scheduled_job_json
from fakehub.wire.parse import check_known_params
from fakehub.wire.responses import JSONResponse


def _respond(hub: FakeHub, act: Callable[[], ScheduledJob]) -> JSONResponse:
    return JSONResponse(hub.snapshot(act, scheduled_job_json))


def _ids(request: Request) -> tuple[str, str]:
    return request.path_params["namespace"], request.path_params["scheduled_id"]


async def create(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    body = await body_model(request, ScheduledJobBody)
    namespace = request.path_params["namespace"]
    return _respond(
        hub,
        lambda: hub.scheduled_jobs.create(
            actor,
            namespace,
            body.job_spec.to_spec(),
            body.schedule,
            suspend=bool(body.suspend),
            concurrency=bool(body.concurrency),
        ),
    )


async def list_scheduled(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    route = "GET /api/scheduled-jobs/{namespace}"
    check_known_params(request.query_params.keys(), ("label",), route)
    labels = parse_label_filters(request.query_params.getlist("label"))
    body = hub.snapshot(
        lambda: hub.scheduled_jobs.list_scheduled(actor, request.path_params["namespace"], labels),
        lambda items, now: [scheduled_job_json(item, now) for item in items],
    )
    return JSONResponse(body)


async def inspect(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, scheduled_id = _ids(request)
    return _respond(hub, lambda: hub.scheduled_jobs.inspect(actor, namespace, scheduled_id))


async def delete(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    hub.scheduled_jobs.delete(actor, *_ids(request))
    return Response(status_code=204)


async def suspend(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, scheduled_id = _ids(request)
    return _respond(
        hub, lambda: hub.scheduled_jobs.set_suspended(actor, namespace, scheduled_id, True)
    )


async def resume(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, scheduled_id = _ids(request)
    return _respond(
        hub, lambda: hub.scheduled_jobs.set_suspended(actor, namespace, scheduled_id, False)
    )


async def trigger(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, scheduled_id = _ids(request)
    return JSONResponse(
        hub.snapshot(lambda: hub.scheduled_jobs.trigger(actor, namespace, scheduled_id), job_json)
    )


async def update_labels(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, scheduled_id = _ids(request)
    body = await body_model(request, LabelsBody)
    return _respond(
        hub,
        lambda: hub.scheduled_jobs.update_labels(actor, namespace, scheduled_id, dict(body.labels)),
    )


async def reschedule(request: Request) -> Response:
    hub, actor = hub_of(request), actor_of(request)
    namespace, scheduled_id = _ids(request)
    body = await body_model(request, ScheduleBody)
    if not body.schedule.strip():
        raise BadRequest("schedule: must not be empty")
    return _respond(
        hub, lambda: hub.scheduled_jobs.reschedule(actor, namespace, scheduled_id, body.schedule)
    )


_ITEM = "/api/scheduled-jobs/{namespace}/{scheduled_id}"

routes: list[BaseRoute] = [
    Route("/api/scheduled-jobs/{namespace}", create, methods=["POST"]),
    Route("/api/scheduled-jobs/{namespace}", list_scheduled, methods=["GET"]),
    Route(_ITEM, inspect, methods=["GET"]),
    Route(_ITEM, delete, methods=["DELETE"]),
    Route(f"{_ITEM}/suspend", suspend, methods=["POST"]),
    Route(f"{_ITEM}/resume", resume, methods=["POST"]),
    Route(f"{_ITEM}/run", trigger, methods=["POST"]),
    Route(f"{_ITEM}/labels", update_labels, methods=["PUT"]),
    Route(f"{_ITEM}/schedule", reschedule, methods=["POST"]),
]
