"""Read models of Jobs and scheduled Jobs for people (the dashboard), across namespaces.

Every function takes the hub and runs as one hub operation (lock held, due events applied).
A Job's secrets are listed by name only, never their values.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from fakehub.clock import NS_PER_SECOND
from fakehub.control.pages import PageQuery, costs, matches, page, page_of
from fakehub.domain.errors import NotFound
from fakehub.domain.jobs import metrics
from fakehub.domain.jobs.records import Job, JobStage
from fakehub.domain.jobs.scheduled import ScheduledJob
from fakehub.hub import FakeHub
from fakehub.timefmt import iso
from fakehub.wire.control.views import Page, charges_json, history_json, usd

JOB_STAGES = tuple(stage.value for stage in JobStage)


def job_summary(job: Job, now_ns: int, cost_micro: int) -> dict[str, Any]:
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


def list_jobs(hub: FakeHub, query: PageQuery) -> Page:
    """Newest first (the order a person looks for the job they just launched).

    Jobs are stored in creation order and virtual time never goes back, so newest first is
    the store read backwards: no sort, and no scan at all for an unfiltered page.
    """
    with hub.reading() as now:
        store = hub.jobs.records()
        newest = reversed(store.values())
        if query.stage is None and query.q is None:
            total = len(store)
            chosen = list(islice(newest, query.offset, query.offset + query.limit))
        else:
            jobs = [j for j in newest if matches(j.id, j.stage, query)]
            total, chosen = len(jobs), jobs[query.offset : query.offset + query.limit]
        totals = costs(hub.meter(), now, {f"job:{j.id}" for j in chosen})
        return page_of(chosen, total, query, lambda j: job_summary(j, now, totals[f"job:{j.id}"]))


def _metrics(job: Job, now_ns: int) -> dict[str, Any] | None:
    if job.stage is not JobStage.RUNNING or job.attempt_started_at is None:
        return None
    second = (now_ns - job.attempt_started_at) // NS_PER_SECOND
    return metrics.sample(job, second)


def job_detail(hub: FakeHub, namespace: str, job_id: str, logs_from: int) -> dict[str, Any]:
    with hub.reading() as now:
        job = hub.jobs.records().get(job_id)
        if job is None or job.namespace != namespace:
            raise NotFound(f"Job {namespace}/{job_id} not found")
        key = f"job:{job.id}"
        charges = [c for c in hub.meter().charges() if c.resource == key]
        lines = job.visible_lines(now)
        shown = lines[logs_from : logs_from + 1000]
        spec = job.spec
        return job_summary(job, now, sum(c.cost_micro_usd(now) for c in charges)) | {
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
            "charges": charges_json(charges, now),
            "logs": {
                "from": logs_from,
                "next": logs_from + len(shown),
                "lines": [{"at": iso(line.at_ns), "text": line.text} for line in shown],
            },
            "metrics": _metrics(job, now),
        }


def scheduled_summary(item: ScheduledJob, now_ns: int) -> dict[str, Any]:
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


def list_scheduled(hub: FakeHub, query: PageQuery) -> Page:
    with hub.reading() as now:
        items = sorted(
            (i for i in hub.jobs.scheduled_records().values() if matches(i.id, "", query)),
            key=lambda i: (i.next_run_at(now), i.id),
        )
        return page(items, query, lambda item: scheduled_summary(item, now))
