"""A reference for the state dump: the jobs' part of it, built by hand (``bench_scale.py``).

The dump must walk anything the hub holds, check every value and redact secrets; this builds
the same dicts and lists for the benchmark's finished jobs knowing their fields, with no check
and no walker: about the least CPython can spend on that output. Timed in the same run as the
dump, it says how much of the dump's time is the walk and how much is the machine (whose speed
here drifts by half within an hour). It is exact for the benchmark's jobs only: ``bench_scale``
compares it with the dump before timing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fakehub.domain.jobs.records import Job


def jobs_by_hand(store: Mapping[str, Job]) -> dict[str, Any]:
    """``dump["jobs"]["runs"]["jobs"]`` for finished jobs without volumes or network, whose
    scripted outcomes script no log lines."""
    shared: dict[int, Any] = {}  # the dump shares the output of a value met again, too

    def once(value: Any, build: Callable[[Any], Any]) -> Any:
        out = shared.get(id(value))
        if out is None:
            out = shared[id(value)] = build(value)
        return out

    def person(value: Any) -> Any:
        return once(value, _person)

    out: dict[str, Any] = {}
    for key in sorted(store):
        job = store[key]
        spec = job.spec
        out[key] = {
            "id": job.id,
            "namespace": job.namespace,
            "owner": person(job.owner),
            "created_by": person(job.created_by),
            "initiator": once(job.initiator, lambda who: _initiator(who, person)),
            "spec": {
                "flavor": spec.flavor,
                "command": list(spec.command),
                "docker_image": spec.docker_image,
                "space_id": spec.space_id,
                "arguments": list(spec.arguments),
                "environment": dict(sorted(spec.environment.items())),
                "secrets": {},
                "timeout_seconds": spec.timeout_seconds,
                "attempts": spec.attempts,
                "labels": dict(sorted(spec.labels.items())),
                "volumes": [],
                "expose_ports": None if spec.expose_ports is None else list(spec.expose_ports),
                "expose_public": list(spec.expose_public),
                "ssh": spec.ssh,
                "network": None,
                "resource_group_id": spec.resource_group_id,
                "arch": spec.arch,
            },
            "created_at": job.created_at,
            "script": [once(outcome, _outcome) for outcome in job.script],
            "labels": dict(sorted(job.labels.items())),
            "expose_ports": None if job.expose_ports is None else list(job.expose_ports),
            "expose_public": list(job.expose_public),
            "stage": job.stage,
            "message": job.message,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
            "exit_code": job.exit_code,
            "failure_count": job.failure_count,
            "attempt": job.attempt,
            "attempt_started_at": job.attempt_started_at,
            "lines": [{"at_ns": line.at_ns, "text": line.text} for line in job.lines],
            "entered_at": list(job.entered_at),
            "entered": [once(status, _entered) for status in job.entered],
            "timeout_handle": None,
            "scheduled_job_id": job.scheduled_job_id,
        }
    return out


def _person(value: Any) -> dict[str, Any]:
    return {"id": value.id, "name": value.name, "type": value.type, "avatar_url": value.avatar_url}


def _initiator(value: Any, person: Callable[[Any], Any]) -> dict[str, Any]:
    shown = None if value.person is None else person(value.person)
    return {"type": value.type, "id": value.id, "person": shown}


def _outcome(outcome: Any) -> dict[str, Any]:
    return {
        "exit_code": outcome.exit_code,
        "stage": outcome.stage,
        "seconds": outcome.seconds,
        "schedule_seconds": outcome.schedule_seconds,
        "logs": outcome.logs,
        "message": outcome.message,
        "metrics": dict(sorted(outcome.metrics.items())),
    }


def _entered(status: Any) -> dict[str, Any]:
    return {"stage": status.stage, "message": status.message, "failure_count": status.failure_count}
