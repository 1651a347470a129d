"""Read models of Jobs and scheduled Jobs for people (the dashboard), across namespaces.

Every function takes the hub and reads it as one hub operation (lock held, due events
applied); :mod:`fakehub.wire.control.job_views` serialises what it found.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from fakehub.control.pages import PageQuery, costs, matches, page, page_of
from fakehub.domain.errors import NotFound
from fakehub.domain.jobs.records import JobStage
from fakehub.hub import FakeHub
from fakehub.wire.control.job_views import (
    job_detail_json,
    job_summary_json,
    scheduled_summary_json,
)
from fakehub.wire.control.views import Page

JOB_STAGES = tuple(stage.value for stage in JobStage)


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
        return page_of(
            chosen, total, query, lambda j: job_summary_json(j, now, totals[f"job:{j.id}"])
        )


def job_detail(hub: FakeHub, namespace: str, job_id: str, logs_from: int) -> dict[str, Any]:
    with hub.reading() as now:
        job = hub.jobs.records().get(job_id)
        if job is None or job.namespace != namespace:
            raise NotFound(f"Job {namespace}/{job_id} not found")
        key = f"job:{job.id}"
        charges = [c for c in hub.meter().charges() if c.resource == key]
        return job_detail_json(job, now, charges, logs_from)


def list_scheduled(hub: FakeHub, query: PageQuery) -> Page:
    with hub.reading() as now:
        items = sorted(
            (i for i in hub.jobs.scheduled_records().values() if matches(i.id, "", query)),
            key=lambda i: (i.next_run_at(now), i.id),
        )
        return page(items, query, lambda item: scheduled_summary_json(item, now))
