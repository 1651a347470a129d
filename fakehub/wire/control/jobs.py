"""Scripted job outcomes (``/_fakehub/jobs/outcomes``, ``/_fakehub/jobs/{ns}/{id}/outcome``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from typing_extensions import TypedDict

from fakehub.domain.jobs.outcomes import JobOutcome, OutcomeStage
from fakehub.domain.jobs.records import Job


class ScriptedLineOut(TypedDict):
    line: str
    #: seconds after the run started; null spreads the line over the run
    at: float | None


class ScriptedOutcome(TypedDict):
    exitCode: int
    stage: OutcomeStage
    seconds: float | None
    scheduleSeconds: float | None
    logs: list[ScriptedLineOut] | None
    message: str | None
    metrics: dict[str, Any]


class ScriptedJob(TypedDict):
    id: str
    stage: str
    attempts: list[ScriptedOutcome]


class ScriptedAttempts(TypedDict):
    attempts: list[ScriptedOutcome]


class OutcomeQueue(TypedDict):
    outcomes: list[ScriptedAttempts]


def script_json(script: Sequence[JobOutcome]) -> list[ScriptedOutcome]:
    return [
        {
            "exitCode": o.effective_exit_code,
            "stage": o.final_stage,
            "seconds": o.seconds,
            "scheduleSeconds": o.schedule_seconds,
            "logs": None if o.logs is None else [{"line": x.text, "at": x.at} for x in o.logs],
            "message": o.message,
            "metrics": dict(o.metrics),
        }
        for o in script
    ]


def scripted_job_json(job: Job, script: Sequence[JobOutcome]) -> ScriptedJob:
    return {"id": job.id, "stage": job.stage.value, "attempts": script_json(script)}


def outcome_queue_json(queue: Iterable[Sequence[JobOutcome]]) -> OutcomeQueue:
    return {"outcomes": [{"attempts": script_json(s)} for s in queue]}
