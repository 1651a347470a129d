"""Job operations: run, inspect, list, cancel, labels, rerun, expose, logs, metrics, scripts.

Every public method is one hub operation. Callers that serialise a job do it inside
``hub.ctx.transaction()`` (the lock is re-entrant) so the record cannot move under them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.accounts import Actor
from fakehub.domain.buckets.store import BucketStore
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest
from fakehub.domain.jobs import metrics
from fakehub.domain.jobs.access import JobAccess
from fakehub.domain.jobs.index import matches
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Initiator, Job, JobSpec, JobStage, LogLine, StageEvent
from fakehub.domain.jobs.rules import check_expose, check_labels, check_spec
from fakehub.domain.jobs.runs import JobRuns, Script, as_script
from fakehub.domain.jobs.scheduled import ScheduledJob, ScheduledJobService
from fakehub.domain.spaces.store import SpaceStore

#: Jobs per page of ``GET /api/jobs/{ns}`` (inferred; settable for tests).
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    jobs: list[Job]
    #: cursor of the next page, ``None`` on the last one
    next_cursor: str | None


class JobService(JobAccess):
    def __init__(
        self, ctx: HubContext, spaces: SpaceStore, buckets: BucketStore | None = None
    ) -> None:
        super().__init__(ctx, spaces, buckets)
        self.runs = JobRuns(ctx)
        self.page_size = DEFAULT_PAGE_SIZE
        #: scheduled jobs (cron), which start runs through this service's store
        self.scheduled = ScheduledJobService(ctx, self.runs, self)

    def records(self) -> dict[str, Job]:
        """Every job by id, oldest first (read it inside ``hub.reading()``; change it never)."""
        return self.runs.jobs

    def scheduled_records(self) -> Mapping[str, ScheduledJob]:
        """Every scheduled job by id (read it inside ``hub.reading()``; change it never)."""
        return self.scheduled.items

    # -- jobs ------------------------------------------------------------------------------------

    @operation
    def run(self, actor: Actor | None, namespace: str, spec: JobSpec) -> Job:
        creator = self.require_write(actor, namespace, "run jobs")
        check_spec(spec)
        self.check_references(actor, spec)
        now = self.ctx.clock.now()
        job = self.runs.create(
            owner=self.person(namespace), created_by=creator, initiator=None, spec=spec, at_ns=now
        )
        return self.settle(job)

    @operation
    def inspect(self, actor: Actor | None, namespace: str, job_id: str) -> Job:
        """A read that counts as a poll (per-poll policy: ``wait_for_job`` moves the job)."""
        self.require_read(actor, namespace)
        job = self.runs.get(namespace, job_id)
        self.ctx.progression.on_read(self.runs.key(job), self.ctx.clock.now())
        return job

    @operation
    def get(self, actor: Actor | None, namespace: str, job_id: str) -> Job:
        """A read that is not a poll (log and metrics streams, the stage checks)."""
        self.require_read(actor, namespace)
        return self.runs.get(namespace, job_id)

    @operation
    def list_jobs(
        self,
        actor: Actor | None,
        namespace: str,
        *,
        stages: frozenset[JobStage] = frozenset(),
        labels: Sequence[tuple[str, str]] = (),
        cursor: str | None = None,
    ) -> Page:
        """Newest first; every filter must hold (AND); ``cursor`` is the last id already seen."""
        self.require_read(actor, namespace)
        after = None
        if cursor is not None:
            after = self.runs.jobs.get(cursor)
            if after is None or after.namespace != namespace or not matches(after, stages, labels):
                raise BadRequest(f"cursor: unknown or stale cursor {cursor!r}")
        jobs, more = self.runs.index.page(namespace, stages, labels, after, self.page_size)
        return Page(jobs, jobs[-1].id if more and jobs else None)

    @operation
    def count(self, actor: Actor | None, namespace: str, stages: frozenset[JobStage]) -> int:
        """How many jobs ``list_jobs`` would walk through with these stages (no list built)."""
        self.require_read(actor, namespace)
        return self.runs.index.count(namespace, stages)

    @operation
    def cancel(self, actor: Actor | None, namespace: str, job_id: str) -> Job:
        """Any non-terminal job becomes CANCELED; a finished job is returned unchanged."""
        self.require_write(actor, namespace, "cancel jobs")
        job = self.runs.get(namespace, job_id)
        self.runs.cancel(job, self.ctx.clock.now())
        return job

    @operation
    def update_labels(
        self, actor: Actor | None, namespace: str, job_id: str, labels: dict[str, str]
    ) -> Job:
        self.require_write(actor, namespace, "update job labels")
        job = self.runs.get(namespace, job_id)
        check_labels(labels)
        self.runs.relabel(job, dict(labels))
        return job

    @operation
    def update_expose(
        self,
        actor: Actor | None,
        namespace: str,
        job_id: str,
        ports: Sequence[int],
        public: Sequence[int],
    ) -> Job:
        """The complete new set of ports; both lists empty closes every port."""
        self.require_write(actor, namespace, "expose job ports")
        job = self.runs.get(namespace, job_id)
        check_expose(ports, public)
        job.expose_ports = tuple(dict.fromkeys(ports)) if ports else None
        job.expose_public = tuple(dict.fromkeys(public))
        return job

    @operation
    def rerun(self, actor: Actor | None, namespace: str, job_id: str) -> Job:
        """A new job with the same spec (current labels and ports), initiator duplicated-job."""
        creator = self.require_write(actor, namespace, "run jobs")
        original = self.runs.get(namespace, job_id)
        spec = replace(
            original.spec,
            labels=dict(original.labels),
            expose_ports=original.expose_ports,
            expose_public=original.expose_public,
        )
        job = self.runs.create(
            owner=original.owner,
            created_by=creator,
            initiator=Initiator("duplicated-job", original.id),
            spec=spec,
            at_ns=self.ctx.clock.now(),
        )
        return self.settle(job)

    # -- streams ---------------------------------------------------------------------------------

    @operation
    def readable_log_lines(self, actor: Actor | None, namespace: str, job_id: str) -> list[LogLine]:
        """The job's log lines so far, once ``actor`` may read the job."""
        self.get(actor, namespace, job_id)
        return self.log_lines(namespace, job_id)[0]

    @operation
    def log_lines(self, namespace: str, job_id: str) -> tuple[list[LogLine], bool]:
        """The lines printed so far, and whether the job is finished (no line will follow)."""
        job = self.runs.get(namespace, job_id)
        return job.visible_lines(self.ctx.clock.now()), job.stage.terminal

    @operation
    def stage_events(self, namespace: str, job_id: str) -> tuple[list[StageEvent], bool]:
        """The stages the job entered so far, and whether it is finished (none will follow)."""
        job = self.runs.get(namespace, job_id)
        return list(job.events), job.stage.terminal

    @operation
    def metrics_sample(
        self, namespace: str, job_id: str
    ) -> tuple[int, dict[str, object] | None, bool]:
        """(virtual second, the sample for it or None while not running, finished)."""
        job = self.runs.get(namespace, job_id)
        now = self.ctx.clock.now()
        if job.stage is not JobStage.RUNNING or job.attempt_started_at is None:
            return now // NS_PER_SECOND, None, job.stage.terminal
        second = (now - job.attempt_started_at) // NS_PER_SECOND
        return now // NS_PER_SECOND, metrics.sample(job, second), False

    # -- scripted outcomes (fakehub only) --------------------------------------------------------

    @operation
    def script(self, namespace: str, job_id: str, *outcomes: JobOutcome) -> Job:
        """Script a job's outcome, one outcome per attempt (the last repeats).

        A SCHEDULING job takes it entirely (its scheduling time counts from now); a RUNNING
        job's current attempt switches to it now; a finished job is a 409.
        """
        job = self.runs.get(namespace, job_id)
        self.runs.rescript(job, as_script(outcomes), self.ctx.clock.now())
        return self.settle(job)

    @operation
    def queue_outcomes(self, *scripts: JobOutcome | Sequence[JobOutcome]) -> int:
        """Outcomes for the next jobs created, in order (each one outcome or one per attempt)."""
        self.runs.queue.extend(as_script(item) for item in scripts)
        return len(self.runs.queue)

    @operation
    def queued_outcomes(self) -> list[Script]:
        return list(self.runs.queue)

    @operation
    def clear_outcomes(self) -> None:
        self.runs.queue.clear()
