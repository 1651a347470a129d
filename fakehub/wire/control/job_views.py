"""Jobs and scheduled Jobs as the dashboard shows them (``/_fakehub/jobs``,
``/_fakehub/scheduled-jobs``). Secrets by name only, never their values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.billing import Charge
from fakehub.domain.jobs import metrics
from fakehub.domain.jobs.records import Job, JobStage
from fakehub.domain.jobs.scheduled import ScheduledJob
from fakehub.timefmt import iso
from fakehub.wire.control.views import charges_json, history_json, usd

#: most log lines one detail answer carries (the page asks again from ``logs.next``)
LOG_LINES_PER_ANSWER = 1000


def job_summary_json(job: Job, now_ns: int, cost_micro: int) -> dict[str, Any]:
    scheduling, running, total = job.durations(now_ns)
    return {
        "id": job.id,
        "namespace": job.namespace,
        "stage": job.stage.value,
        "message": job.message,
        "flavor": job.spec.flavor,
        "createdAt": iso(job.created_at),
        "durations": {"schedulingSecs": scheduling, "runningSecs": running, "totalSecs": total},
        "costMicroUsd": cost_micro,
        "costUsd": usd(cost_micro),
    }


def _metrics(job: Job, now_ns: int) -> dict[str, Any] | None:
    if job.stage is not JobStage.RUNNING or job.attempt_started_at is None:
        return None
    second = (now_ns - job.attempt_started_at) // NS_PER_SECOND
    return metrics.sample(job, second)


def job_detail_json(
    job: Job, now_ns: int, charges: Sequence[Charge], logs_from: int
) -> dict[str, Any]:
    shown = job.visible_lines(now_ns)[logs_from : logs_from + LOG_LINES_PER_ANSWER]
    spec = job.spec
    cost = sum(c.cost_micro_usd(now_ns) for c in charges)
    return job_summary_json(job, now_ns, cost) | {
        "createdAtNs": job.created_at,
        "startedAt": None if job.started_at is None else iso(job.started_at),
        "finishedAt": None if job.finished_at is None else iso(job.finished_at),
        "image": spec.docker_image or spec.space_id,
        "command": [*spec.command, *spec.arguments],
        "environment": dict(spec.environment),
        "secretKeys": sorted(spec.secrets),
        "labels": dict(job.labels),
        "attempt": job.attempt,
        "failureCount": job.failure_count,
        "exitCode": job.exit_code,
        "history": history_json(job.history),
        "charges": charges_json(charges, now_ns),
        "logs": {
            "from": logs_from,
            "next": logs_from + len(shown),
            "lines": [{"at": iso(line.at_ns), "text": line.text} for line in shown],
        },
        "metrics": _metrics(job, now_ns),
    }


def scheduled_summary_json(item: ScheduledJob, now_ns: int) -> dict[str, Any]:
    last = item.last_job
    return {
        "id": item.id,
        "namespace": item.namespace,
        "schedule": item.cron.expression,
        "suspend": item.suspend,
        "flavor": item.spec.flavor,
        "nextRunAt": iso(item.next_run_at(now_ns)),
        "lastRun": {"jobId": last[0], "at": iso(last[1])} if last else None,
    }
