"""The job store and what moves jobs: progression of their stages, timeouts, scripted outcomes.

Methods here are called inside an operation (or a scheduled event) with the hub's lock held;
they take the time to act at explicitly, so scheduled runs (cron) stamp their own due time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fakehub.clock import NS_PER_SECOND
from fakehub.derived import Memo
from fakehub.domain.catalogue import job_flavor
from fakehub.domain.context import HubContext
from fakehub.domain.errors import Conflict, NotFound
from fakehub.domain.jobs import machine
from fakehub.domain.jobs.index import JobIndex
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Initiator, Job, JobSpec, JobStage, Person
from fakehub.domain.jobs.rules import default_name
from fakehub.machines.policy import Policy
from fakehub.machines.progression import Step

JOB_NOT_FOUND = "Job not found"


def waiting_message(flavor: str) -> str:
    """``status.message`` of a job held in SCHEDULING by a flavor outage."""
    return f"Waiting for {flavor} capacity"


#: One job's script: an outcome per attempt (the last one repeats).
Script = tuple[JobOutcome, ...]


def as_script(outcomes: JobOutcome | Sequence[JobOutcome]) -> Script:
    script = (outcomes,) if isinstance(outcomes, JobOutcome) else tuple(outcomes)
    if not script:
        raise ValueError("a script needs at least one outcome")
    return script


@dataclass(slots=True)
class _JobStepper:
    """Adapts the pure machine to the progression engine for one job."""

    runs: JobRuns
    job: Job
    #: the time of the last rearm or applied step: capacity is judged at that instant
    at_ns: int
    #: the policy the progression arms this job's steps with
    policy: Policy

    def next_step(self) -> Step | None:
        step = machine.next_step(self.job)
        if step is not None and step.name == "start" and self.runs.waits(self.job, self.at_ns):
            return None  # stays SCHEDULING until the outage ends (a wake-up rearms it)
        return step

    def apply(self, step: Step, at_ns: int) -> None:
        self.at_ns = at_ns
        before = self.job.stage
        if step.name == "start":
            if self.runs.waits(self.job, at_ns):
                return  # an outage began after the step was armed: the job keeps waiting
            machine.start(self.job, at_ns, self.runs.run_seconds(self.job))
            if not self.runs.ends_in_time(self.job, at_ns, self.policy):
                self.runs.arm_timeout(self.job)
        elif step.name == "finish":
            machine.finish(self.job, at_ns)
            if self.job.stage.terminal:
                self.runs.disarm_timeout(self.job)
        self.runs.index.restage(self.job, before)
        self.runs.bill(self.job, at_ns)


class JobRuns:
    def __init__(self, ctx: HubContext) -> None:
        self.ctx = ctx
        self.jobs: dict[str, Job] = {}
        #: per namespace, label, stage and schedule; updated with every change below
        self.index = JobIndex()
        self._initiators: Memo[Person, Initiator] = Memo()
        #: outcomes for the next jobs created, first in first out
        self.queue: list[Script] = []

    # -- lookup ----------------------------------------------------------------------------------

    def get(self, namespace: str, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None or job.namespace != namespace:
            raise NotFound(JOB_NOT_FOUND)
        return job

    # -- creation --------------------------------------------------------------------------------

    def create(
        self,
        *,
        owner: Person,
        created_by: Person,
        initiator: Initiator | None,
        spec: JobSpec,
        at_ns: int,
        scheduled_job_id: str | None = None,
    ) -> Job:
        """A new job in SCHEDULING at ``at_ns``; the spec must already be validated."""
        job_id = self.ctx.ids.object_id()
        labels = dict(spec.labels)
        labels.setdefault("name", default_name(spec))
        job = Job(
            id=job_id,
            namespace=owner.name,
            owner=owner,
            created_by=created_by,
            initiator=initiator or self._initiator(created_by),
            spec=spec,
            created_at=at_ns,
            script=self.queue.pop(0) if self.queue else (),
            labels=labels,
            expose_ports=spec.expose_ports,
            expose_public=spec.expose_public,
            scheduled_job_id=scheduled_job_id,
        )
        job.enter(at_ns)  # SCHEDULING
        self.jobs[job_id] = job
        self.index.add(job)
        self.rearm(job, at_ns)
        return job

    def _initiator(self, person: Person) -> Initiator:
        """The user initiator of ``person``, one shared value (``Person`` is frozen, hashable)."""
        initiator = self._initiators.get(person)
        if initiator is None:
            initiator = self._initiators[person] = Initiator(person.type, person.id, person)
        return initiator

    # -- movement --------------------------------------------------------------------------------

    @staticmethod
    def key(job: Job) -> str:
        return f"job:{job.id}"

    def relabel(self, job: Job, labels: dict[str, str]) -> None:
        before, job.labels = job.labels, labels
        self.index.relabel(job, before)

    def rearm(self, job: Job, now_ns: int) -> None:
        policy = self.ctx.policies.job
        self.ctx.progression.rearm(
            self.key(job), _JobStepper(self, job, now_ns, policy), policy, now_ns
        )
        if job.started_at is not None and not job.stage.terminal:
            self.arm_timeout(job)  # its course changed: the deadline may matter now

    def run_seconds(self, job: Job) -> float:
        seconds = job.outcome.seconds
        return seconds if seconds is not None else self.ctx.policies.job.duration("run")

    @staticmethod
    def ends_in_time(job: Job, started_ns: int, policy: Policy) -> bool:
        """Whether the attempt just started under a timed ``policy`` is sure to end the job
        before its deadline: its finish, armed next, is due earlier and leaves no retry.

        Its timeout is then not armed (it would only be cancelled: a month of cron runs armed
        and cancelled 72,000). Anything that changes the job's course before the finish (a new
        script) rearms it, which arms the timeout.
        """
        outcome = job.outcome
        if policy.kind != "timed" or not outcome.finishes or job.started_at is None:
            return False
        if outcome.final_stage != "COMPLETED" and job.attempt < job.spec.attempts:
            return False  # a failed attempt is retried: the deadline covers the next one too
        seconds = outcome.seconds if outcome.seconds is not None else policy.duration("run")
        finish_ns = started_ns + round(seconds * NS_PER_SECOND)
        return finish_ns < job.started_at + job.spec.timeout_seconds * NS_PER_SECOND

    def arm_timeout(self, job: Job) -> None:
        """The deadline counts from the first start and covers every attempt (inferred)."""
        if job.timeout_handle is not None or job.started_at is None:
            return
        due = job.started_at + job.spec.timeout_seconds * NS_PER_SECOND

        def expire(at_ns: int) -> None:
            before = job.stage
            job.timeout_handle = None  # applied: nothing left to cancel
            if machine.time_out(job, at_ns):
                self.index.restage(job, before)
                self.ctx.progression.disarm(self.key(job))
                self.bill(job, at_ns)

        job.timeout_handle = self.ctx.scheduler.schedule(due, expire, label=f"job:{job.id}:timeout")

    def disarm_timeout(self, job: Job) -> None:
        """A finished job waits for no deadline: the handle goes (a finished job keeps nothing
        it no longer needs; 100k finished jobs held 100k dead handles)."""
        if job.timeout_handle is not None:
            job.timeout_handle.cancel()
            job.timeout_handle = None

    def cancel(self, job: Job, at_ns: int) -> None:
        before = job.stage
        if machine.cancel(job, at_ns):
            self.index.restage(job, before)
            self.ctx.progression.disarm(self.key(job))
            self.disarm_timeout(job)
            self.bill(job, at_ns)

    # -- hardware: billing and capacity ----------------------------------------------------------

    def bill(self, job: Job, at_ns: int) -> None:
        """A job holds its flavor while RUNNING (each attempt); a finished one waits no more."""
        flavor = job_flavor(job.spec.flavor)
        if job.stage is JobStage.RUNNING and flavor is not None:
            self.ctx.billing.hold(self.key(job), flavor, at_ns)
        else:
            self.ctx.billing.release(self.key(job), at_ns)
        if job.stage.terminal:
            self.ctx.outages.stop_waiting(self.key(job))

    def waits(self, job: Job, at_ns: int) -> bool:
        """Whether the job must stay SCHEDULING because its flavor is out of capacity.

        The first time it waits for a given outage its message says so and a wake-up is
        scheduled at the outage's end, which rearms its progression (any policy).
        """
        outage = self.ctx.outages.blocking(job.spec.flavor, "job", at_ns)
        if outage is None:
            return False

        def resume(resume_ns: int) -> None:
            if job.message == waiting_message(job.spec.flavor):
                job.message = None
            self.rearm(job, resume_ns)

        if self.ctx.outages.wait(self.key(job), outage, resume, self.ctx.scheduler):
            job.message = waiting_message(job.spec.flavor)
        return True

    def rescript(self, job: Job, script: Script, now_ns: int) -> None:
        if job.stage.terminal:
            raise Conflict(
                f"Job {job.id} is already {job.stage.value}: a finished job never changes"
            )
        job.script = script
        before = job.stage
        machine.rescript(job, now_ns, self.run_seconds(job))
        self.index.restage(job, before)
        self.rearm(job, now_ns)
