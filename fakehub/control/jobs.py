"""Control routes for scripted job outcomes (fakehub's own API, not the Hub's).

* ``POST /_fakehub/jobs/{namespace}/{job_id}/outcome`` scripts one existing job.
* ``POST /_fakehub/jobs/outcomes`` queues outcomes for the next jobs created (FIFO);
  ``GET`` lists the queue, ``DELETE`` empties it.

An outcome is ``{"exitCode", "stage", "seconds", "scheduleSeconds", "logs", "message",
"metrics"}`` (every key optional; durations as seconds or ``"90s"``/``"10m"``; ``logs`` items
are strings, spread over the run, or ``{"at": seconds, "line": text}``). ``{"attempts": [...]}``
gives one outcome per attempt instead.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, RootModel, StrictFloat, StrictInt, StrictStr, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of, read_body
from fakehub.control.docs import control_doc
from fakehub.domain.errors import BadRequest
from fakehub.domain.jobs.outcomes import JobOutcome, ScriptedLine
from fakehub.timefmt import parse_duration
from fakehub.wire.control.counts import queued_json
from fakehub.wire.control.jobs import outcome_queue_json, scripted_job_json
from fakehub.wire.parse import WireModel, decode_json, describe_validation_error

Seconds = StrictInt | StrictFloat | StrictStr


class LogLineBody(WireModel):
    line: StrictStr
    at: Seconds | None = None


class OutcomeBody(WireModel):
    exit_code: StrictInt | None = Field(default=None, alias="exitCode")
    stage: Literal["COMPLETED", "ERROR", "RUNNING", "SCHEDULING"] | None = None
    seconds: Seconds | None = None
    schedule_seconds: Seconds | None = Field(default=None, alias="scheduleSeconds")
    logs: list[StrictStr | LogLineBody] | None = None
    message: StrictStr | None = None
    metrics: dict[str, Any] | None = None


def _seconds(value: int | float | str | None, where: str) -> float | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise BadRequest(f"{where}: {exc}") from None


def _outcome(body: OutcomeBody, where: str) -> JobOutcome:
    logs = None
    if body.logs is not None:
        logs = tuple(
            ScriptedLine(item)
            if isinstance(item, str)
            else ScriptedLine(item.line, _seconds(item.at, f"{where}.logs.at"))
            for item in body.logs
        )
    try:
        return JobOutcome(
            exit_code=body.exit_code,
            stage=body.stage,
            seconds=_seconds(body.seconds, f"{where}.seconds"),
            schedule_seconds=_seconds(body.schedule_seconds, f"{where}.scheduleSeconds"),
            logs=logs,
            message=body.message,
            metrics=dict(body.metrics or {}),
        )
    except ValueError as exc:
        raise BadRequest(f"{where}: {exc}") from None


def parse_script(data: Any, where: str) -> tuple[JobOutcome, ...]:
    """One outcome object, or ``{"attempts": [outcome, ...]}``."""
    if not isinstance(data, dict):
        raise BadRequest(f"{where}: expected an outcome object, got {type(data).__name__}")
    items = data.get("attempts", [data])
    if not isinstance(items, list) or not items:
        raise BadRequest(f"{where}.attempts: expected a non-empty list of outcomes")
    outcomes = []
    for index, item in enumerate(items):
        spot = f"{where}.attempts[{index}]" if "attempts" in data else where
        if not isinstance(item, dict):
            raise BadRequest(f"{spot}: expected an outcome object")
        try:
            body = OutcomeBody.model_validate(item)
        except ValidationError as exc:
            raise BadRequest(f"{spot}: {describe_validation_error(exc)}") from None
        outcomes.append(_outcome(body, spot))
    return tuple(outcomes)


class Attempts(WireModel):
    attempts: list[OutcomeBody]


class ScriptBody(RootModel[OutcomeBody | Attempts]):
    """One outcome, or ``{"attempts": [...]}`` for a job that is retried."""


class QueueBody(WireModel):
    outcomes: list[OutcomeBody | Attempts]


@control_doc("Script the outcome of one job", body=ScriptBody, response=scripted_job_json)
async def script_job(request: Request) -> Response:
    script = parse_script(decode_json(await read_body(request)), "outcome")
    namespace, job_id = request.path_params["namespace"], request.path_params["job_id"]
    hub = hub_of(request)
    job = hub.jobs.script(namespace, job_id, *script)
    return JSONResponse(scripted_job_json(job, script))


@control_doc("Queue outcomes for the next jobs to run", body=QueueBody, response=queued_json)
async def queue_outcomes(request: Request) -> Response:
    data = decode_json(await read_body(request))
    if not isinstance(data, dict) or not isinstance(data.get("outcomes"), list):
        raise BadRequest('Expected {"outcomes": [outcome or {"attempts": [...]}, ...]}')
    scripts = [parse_script(item, f"outcomes[{i}]") for i, item in enumerate(data["outcomes"])]
    queued = hub_of(request).jobs.queue_outcomes(*scripts)
    return JSONResponse(queued_json(queued))


@control_doc("Outcomes still queued", response=outcome_queue_json)
async def list_outcomes(request: Request) -> Response:
    return JSONResponse(outcome_queue_json(hub_of(request).jobs.queued_outcomes()))


@control_doc("Forget queued outcomes", response=queued_json)
async def clear_outcomes(request: Request) -> Response:
    hub_of(request).jobs.clear_outcomes()
    return JSONResponse(queued_json(0))


routes = [
    Route("/_fakehub/jobs/outcomes", queue_outcomes, methods=["POST"]),
    Route("/_fakehub/jobs/outcomes", list_outcomes, methods=["GET"]),
    Route("/_fakehub/jobs/outcomes", clear_outcomes, methods=["DELETE"]),
    Route("/_fakehub/jobs/{namespace}/{job_id}/outcome", script_job, methods=["POST"]),
]
