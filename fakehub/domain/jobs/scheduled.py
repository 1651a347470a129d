"""Scheduled jobs (spec §12): a job spec plus a cron schedule that starts runs on the clock.

Each due occurrence is one scheduler event at its own due time, which starts a run stamped with
that time and arms the next occurrence; advancing the clock by days therefore starts every due
run in order. An occurrence that finds a run still active is skipped unless ``concurrency``
(inferred). Suspended schedules start nothing; resuming counts from the resume time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from fakehub.derived import Memo
from fakehub.domain.accounts import Actor
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import Conflict, NotFound
from fakehub.domain.jobs.access import JobAccess
from fakehub.domain.jobs.cron import Cron
from fakehub.domain.jobs.records import Initiator, Job, JobSpec, Person
from fakehub.domain.jobs.rules import check_labels, check_spec
from fakehub.domain.jobs.runs import JobRuns
from fakehub.scheduler import EventHandle

ANOTHER_JOB_RUNNING = (
    "Another job is already running at the same time, set `concurrency` to allow multiple "
    "instances of scheduled jobs to run concurrently"
)

SCHEDULED_JOB_NOT_FOUND = "Scheduled job not found"


@dataclass
class ScheduledJob:
    id: str
    owner: Person
    created_by: Person
    spec: JobSpec
    cron: Cron
    created_at: int
    suspend: bool = False
    concurrency: bool = False
    #: (job id, when it was started) of the latest run
    last_job: tuple[str, int] | None = None
    #: next due occurrence while active (recomputed on read while suspended)
    next_run_ns: int = 0
    handle: EventHandle | None = field(default=None, repr=False)

    @property
    def namespace(self) -> str:
        return self.owner.name

    def next_run_at(self, now_ns: int) -> int:
        if self.suspend:
            return self.cron.next_after(now_ns) or self.next_run_ns
        return self.next_run_ns


class ScheduledJobService:
    def __init__(self, ctx: HubContext, runs: JobRuns, jobs: JobAccess) -> None:
        self.ctx = ctx
        self.runs = runs
        self.jobs = jobs
        self.items: dict[str, ScheduledJob] = {}
        #: per schedule: the initiator its runs share, and the label of its occurrences
        self._initiators: Memo[str, Initiator] = Memo()
        self._labels: Memo[str, str] = Memo()

    # -- internals -------------------------------------------------------------------------------

    def _get(self, namespace: str, scheduled_id: str) -> ScheduledJob:
        item = self.items.get(scheduled_id)
        if item is None or item.namespace != namespace:
            raise NotFound(SCHEDULED_JOB_NOT_FOUND)
        return item

    def _arm(self, item: ScheduledJob, after_ns: int) -> None:
        if item.handle is not None:
            item.handle.cancel()
            item.handle = None
        upcoming = item.cron.next_after(after_ns)
        if upcoming is None:
            return  # a schedule with a final year has run out: nothing more to start
        item.next_run_ns = upcoming
        if item.suspend:
            return
        label = self._labels.get(item.id)
        if label is None:
            label = self._labels[item.id] = f"scheduled-job:{item.id}"
        item.handle = self.ctx.scheduler.schedule(
            item.next_run_ns, lambda at: self._occur(item, at), label=label
        )

    def _active_run(self, item: ScheduledJob) -> Job | None:
        return next(iter(self.runs.index.active_runs(item.id)), None)

    def _start_run(self, item: ScheduledJob, at_ns: int) -> Job:
        initiator = self._initiators.get(item.id)
        if initiator is None:  # one frozen value for every run of the schedule
            initiator = self._initiators[item.id] = Initiator("scheduled-job", item.id)
        job = self.runs.create(
            owner=item.owner,
            created_by=item.created_by,
            initiator=initiator,
            spec=item.spec,
            at_ns=at_ns,
            scheduled_job_id=item.id,
        )
        item.last_job = (job.id, at_ns)
        return job

    def _occur(self, item: ScheduledJob, at_ns: int) -> None:
        item.handle = None
        if item.concurrency or self._active_run(item) is None:
            self._start_run(item, at_ns)
        self._arm(item, at_ns)

    # -- operations ------------------------------------------------------------------------------

    @operation
    def create(
        self,
        actor: Actor | None,
        namespace: str,
        spec: JobSpec,
        schedule: str,
        *,
        suspend: bool = False,
        concurrency: bool = False,
    ) -> ScheduledJob:
        creator = self.jobs.require_write(actor, namespace, "schedule jobs")
        check_spec(spec, "jobSpec")
        self.jobs.check_references(actor, spec, "jobSpec")
        now = self.ctx.clock.now()
        cron = Cron.parse(schedule, now)
        item = ScheduledJob(
            id=self.ctx.ids.object_id(),
            owner=self.jobs.person(namespace),
            created_by=creator,
            spec=spec,
            cron=cron,
            created_at=now,
            suspend=suspend,
            concurrency=concurrency,
        )
        self.items[item.id] = item
        self._arm(item, now)
        return item

    @operation
    def list_scheduled(
        self, actor: Actor | None, namespace: str, labels: Sequence[tuple[str, str]] = ()
    ) -> list[ScheduledJob]:
        """Newest first; every label filter must hold."""
        self.jobs.require_read(actor, namespace)
        return [
            item
            for item in reversed(self.items.values())
            if item.namespace == namespace
            and all(item.spec.labels.get(key) == value for key, value in labels)
        ]

    @operation
    def inspect(self, actor: Actor | None, namespace: str, scheduled_id: str) -> ScheduledJob:
        self.jobs.require_read(actor, namespace)
        return self._get(namespace, scheduled_id)

    @operation
    def delete(self, actor: Actor | None, namespace: str, scheduled_id: str) -> None:
        """The schedule stops; runs it already started are ordinary jobs and stay."""
        self.jobs.require_write(actor, namespace, "delete scheduled jobs")
        item = self._get(namespace, scheduled_id)
        if item.handle is not None:
            item.handle.cancel()
        del self.items[item.id]

    @operation
    def set_suspended(
        self, actor: Actor | None, namespace: str, scheduled_id: str, suspend: bool
    ) -> ScheduledJob:
        self.jobs.require_write(actor, namespace, "suspend or resume scheduled jobs")
        item = self._get(namespace, scheduled_id)
        if item.suspend != suspend:
            item.suspend = suspend
            self._arm(item, self.ctx.clock.now())
        return item

    @operation
    def trigger(self, actor: Actor | None, namespace: str, scheduled_id: str) -> Job:
        """Start a run now; 409 while one is active unless ``concurrency``. Keeps the schedule."""
        self.jobs.require_write(actor, namespace, "run scheduled jobs")
        item = self._get(namespace, scheduled_id)
        active = self._active_run(item)
        if active is not None and not item.concurrency:
            # Word for word the Hub's: its published schema fixes this 409's message.
            raise Conflict(ANOTHER_JOB_RUNNING)
        return self.jobs.settle(self._start_run(item, self.ctx.clock.now()))

    @operation
    def update_labels(
        self, actor: Actor | None, namespace: str, scheduled_id: str, labels: dict[str, str]
    ) -> ScheduledJob:
        self.jobs.require_write(actor, namespace, "update scheduled job labels")
        item = self._get(namespace, scheduled_id)
        check_labels(labels)
        item.spec = replace(item.spec, labels=dict(labels))
        return item

    @operation
    def reschedule(
        self, actor: Actor | None, namespace: str, scheduled_id: str, schedule: str
    ) -> ScheduledJob:
        self.jobs.require_write(actor, namespace, "reschedule scheduled jobs")
        item = self._get(namespace, scheduled_id)
        now = self.ctx.clock.now()
        item.cron = Cron.parse(schedule, now)
        self._arm(item, now)
        return item
