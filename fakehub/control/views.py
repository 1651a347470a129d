"""Read models for people (the dashboard): pages of Spaces and Jobs, one resource in detail.

The Hub's own routes answer per owner and per client version; these answer across every
namespace, with what a person testing by hand wants on one screen: stage, hardware, what it has
cost so far, and its stage history with virtual times (for the timeline). Secret *values* never
appear: Space secrets and Job secrets are listed by key only.

Every function takes the hub and runs as one hub operation (lock held, due events applied).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from fakehub.billing import BillingMeter, Charge
from fakehub.clock import NS_PER_SECOND
from fakehub.domain.errors import BadRequest, NotFound
from fakehub.domain.history import StageHistory
from fakehub.domain.jobs import metrics
from fakehub.domain.jobs.records import Job, JobStage
from fakehub.domain.spaces.records import Space, SpaceStage
from fakehub.hub import FakeHub
from fakehub.machines import space as space_machine
from fakehub.timefmt import iso

T = TypeVar("T")

#: Largest page a list answers (the dashboard asks for 50).
MAX_LIMIT = 500
SPACE_STAGES = tuple(stage.value for stage in SpaceStage)
JOB_STAGES = tuple(stage.value for stage in JobStage)


@dataclass(frozen=True)
class PageQuery:
    offset: int = 0
    limit: int = 50
    stage: str | None = None
    #: a case-insensitive substring of the id (``ns/name`` or the job id)
    q: str | None = None


def _page(items: Sequence[T], query: PageQuery, to_json: Callable[[T], Any]) -> dict[str, Any]:
    return _page_of(items[query.offset : query.offset + query.limit], len(items), query, to_json)


def _page_of(
    chosen: Iterable[T], total: int, query: PageQuery, to_json: Callable[[T], Any]
) -> dict[str, Any]:
    return {
        "total": total,
        "offset": query.offset,
        "limit": query.limit,
        "items": [to_json(item) for item in chosen],
    }


def _matches(ident: str, stage: str, query: PageQuery) -> bool:
    """``stage`` is compared as given: callers pass enum members' values or the members."""
    if query.stage is not None and stage != query.stage:
        return False
    return query.q is None or query.q.lower() in ident.lower()


def _costs(meter: BillingMeter, now_ns: int, keys: set[str]) -> dict[str, int]:
    """Cost so far of the resources in ``keys`` only (a page), in one pass over the charges."""
    totals = dict.fromkeys(keys, 0)
    for charge in meter.charges():
        if charge.resource in totals:
            totals[charge.resource] += charge.cost_micro_usd(now_ns)
    return totals


def _usd(micro: int) -> float:
    return micro / 1_000_000


def history_json(history: StageHistory) -> dict[str, Any]:
    return {
        "marks": [
            {
                "at": iso(mark.at_ns),
                "atNs": mark.at_ns,
                "stage": mark.stage,
                "requested": mark.requested,
                "current": mark.current,
            }
            for mark in history.marks
        ],
        "dropped": history.dropped,
    }


def charges_json(charges: Iterable[Charge], now_ns: int) -> list[dict[str, Any]]:
    return [
        {
            "flavor": c.flavor,
            "startNs": c.start_ns,
            "endNs": c.end_ns,
            "start": iso(c.start_ns),
            "end": None if c.end_ns is None else iso(c.end_ns),
            "costMicroUsd": c.cost_micro_usd(now_ns),
            "costUsd": _usd(c.cost_micro_usd(now_ns)),
        }
        for c in sorted(charges, key=lambda c: c.start_ns)
    ]


# -- Spaces -------------------------------------------------------------------------------------


def _billing_key(space: Space) -> str:
    return f"space:{space.repo_id}"


def space_summary(space: Space, cost_micro: int) -> dict[str, Any]:
    return {
        "id": space.repo_id,
        "sdk": space.sdk,
        "stage": space.stage.value,
        "hardware": {"requested": space.requested_hardware, "current": space.current_hardware},
        "sleepTime": space_machine.gc_timeout(
            space.sdk, space.requested_hardware, space.sleep_time
        ),
        "costMicroUsd": cost_micro,
        "costUsd": _usd(cost_micro),
        "private": space.private,
    }


def list_spaces(hub: FakeHub, query: PageQuery) -> dict[str, Any]:
    with hub.ctx.transaction() as now:
        spaces = sorted(
            (s for s in hub.space_store if _matches(s.repo_id, s.stage, query)),
            key=lambda s: s.repo_id,
        )
        chosen = spaces[query.offset : query.offset + query.limit]
        costs = _costs(hub.ctx.billing, now, {_billing_key(s) for s in chosen})
        return _page_of(
            chosen, len(spaces), query, lambda s: space_summary(s, costs[_billing_key(s)])
        )


def _tail(lines: Sequence[Any], start: int, limit: int = 200) -> list[dict[str, Any]]:
    return [{"at": iso(line.at_ns), "text": line.text} for line in lines[start:][-limit:]]


def space_detail(hub: FakeHub, repo_id: str) -> dict[str, Any]:
    with hub.ctx.transaction() as now:
        space = hub.space_store.get(repo_id)
        if space is None:
            raise NotFound(f"Space {repo_id} not found")
        key = _billing_key(space)
        charges = [c for c in hub.ctx.billing.charges() if c.resource == key]
        body = space_summary(space, sum(c.cost_micro_usd(now) for c in charges))
        script = space.script
        return body | {
            "visibility": space.visibility,
            "errorMessage": space.error_message,
            "createdAt": iso(space.created_at_ns),
            "createdAtNs": space.created_at_ns,
            "storage": space.storage,
            "devMode": space.dev_mode,
            "variables": [
                {"key": v.key, "value": v.value, "description": v.description}
                for v in sorted(space.variables.values(), key=lambda v: v.key)
            ],
            "secretKeys": sorted(space.secrets),
            "files": [{"path": p, "size": len(b)} for p, b in sorted(space.files.items())],
            "script": {"build": script.build, "crashAfter": script.crash_after},
            "history": history_json(space.history),
            "charges": charges_json(charges, now),
            "buildLogs": _tail(space.build_logs, space.build_log_start),
            "runLogs": _tail(space.run_logs, space.run_log_start),
        }


# -- Jobs ---------------------------------------------------------------------------------------


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
        "costUsd": _usd(cost_micro),
    }


def list_jobs(hub: FakeHub, query: PageQuery) -> dict[str, Any]:
    """Newest first (the order a person looks for the job they just launched).

    Jobs are stored in creation order and virtual time never goes back, so newest first is
    the store read backwards: no sort, and no scan at all for an unfiltered page.
    """
    with hub.ctx.transaction() as now:
        store = hub.jobs.runs.jobs
        newest = reversed(store.values())
        if query.stage is None and query.q is None:
            total = len(store)
            chosen = list(islice(newest, query.offset, query.offset + query.limit))
        else:
            jobs = [j for j in newest if _matches(j.id, j.stage, query)]
            total, chosen = len(jobs), jobs[query.offset : query.offset + query.limit]
        costs = _costs(hub.ctx.billing, now, {f"job:{j.id}" for j in chosen})
        return _page_of(chosen, total, query, lambda j: job_summary(j, now, costs[f"job:{j.id}"]))


def _metrics(job: Job, now_ns: int) -> dict[str, Any] | None:
    if job.stage is not JobStage.RUNNING or job.attempt_started_at is None:
        return None
    second = (now_ns - job.attempt_started_at) // NS_PER_SECOND
    return metrics.sample(job, second)


def job_detail(hub: FakeHub, namespace: str, job_id: str, logs_from: int) -> dict[str, Any]:
    with hub.ctx.transaction() as now:
        job = hub.jobs.runs.jobs.get(job_id)
        if job is None or job.namespace != namespace:
            raise NotFound(f"Job {namespace}/{job_id} not found")
        key = f"job:{job.id}"
        charges = [c for c in hub.ctx.billing.charges() if c.resource == key]
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


def list_scheduled(hub: FakeHub, query: PageQuery) -> dict[str, Any]:
    with hub.ctx.transaction() as now:
        items = sorted(
            (i for i in hub.jobs.scheduled.items.values() if _matches(i.id, "", query)),
            key=lambda i: (i.next_run_at(now), i.id),
        )

        def to_json(item: Any) -> dict[str, Any]:
            last = item.last_job
            return {
                "id": item.id,
                "namespace": item.namespace,
                "schedule": item.cron.expression,
                "suspend": item.suspend,
                "flavor": item.spec.flavor,
                "nextRunAt": iso(item.next_run_at(now)),
                "lastRun": {"jobId": last[0], "at": iso(last[1])} if last else None,
            }

        return _page(items, query, to_json)


# -- the whole picture ------------------------------------------------------------------------


def _count(stages: Iterable[SpaceStage | JobStage]) -> dict[str, int]:
    counts = Counter(stages)  # by member: reading ``.value`` 10,000 times costs more than this
    return dict(sorted((stage.value, n) for stage, n in counts.items()))


def overview(hub: FakeHub) -> dict[str, Any]:
    with hub.ctx.transaction() as now:
        clock = hub.ctx.clock.state()
        jobs = hub.jobs.runs.jobs.values()
        scenario = hub.scenario
        meter = hub.ctx.billing
        return {
            "clock": {"now": iso(now), "nowNs": now, "mode": clock.mode, "speed": clock.speed},
            "spaces": {"byStage": _count(s.stage for s in hub.space_store)},
            "jobs": {"byStage": _count(j.stage for j in jobs)},
            "scheduledJobs": len(hub.jobs.scheduled.items),
            "faults": len(hub.faults.all()),
            "outages": len(hub.outages.declared()),
            "requests": len(hub.request_log),
            "scenario": None if scenario is None else scenario.scenario.name,
            "billing": {
                "totalUsd": _usd(meter.total_micro_usd(now)),
                "runningPaid": len(meter.running_paid()),
            },
        }


def parse_page(params: dict[str, str], stages: tuple[str, ...]) -> PageQuery:
    """``offset``, ``limit``, ``stage``, ``q`` from a query string; anything else is a 400."""
    unknown = sorted(set(params) - {"offset", "limit", "stage", "q"})
    if unknown:
        raise BadRequest(f"unknown parameter(s) {unknown}: expected offset, limit, stage, q")
    offset = _number(params, "offset", 0, 10**9)
    limit = _number(params, "limit", 50, MAX_LIMIT)
    stage = params.get("stage") or None
    if stage is not None and stage not in stages:
        raise BadRequest(f"stage: unknown stage {stage!r}: expected one of {', '.join(stages)}")
    return PageQuery(offset=offset, limit=limit, stage=stage, q=params.get("q") or None)


def _number(params: dict[str, str], name: str, default: int, highest: int) -> int:
    text = params.get(name)
    if text is None:
        return default
    if not text.isdigit() or len(text) > 10 or int(text) > highest:
        raise BadRequest(f"{name}: expected an integer from 0 to {highest}, got {text!r}")
    return int(text)


__all__ = [
    "JOB_STAGES",
    "SPACE_STAGES",
    "PageQuery",
    "job_detail",
    "list_jobs",
    "list_scheduled",
    "list_spaces",
    "overview",
    "parse_page",
    "space_detail",
]
