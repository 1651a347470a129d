"""The Job stage machine.

::

    SCHEDULING --start--> RUNNING --finish--> COMPLETED            (exit code 0)
        ^                    |        \\----> ERROR                 (non-zero exit, last attempt)
        |                    |
        +------ retry -------+   (non-zero exit while attempts remain: failureCount + 1)

    any non-terminal --cancel--> CANCELED        RUNNING --timeout--> ERROR "Job timeout"

Automatic steps (``start``, ``finish``) come from :func:`next_step` and are applied by the
progression engine; ``cancel`` and ``timeout`` are applied by the service. Terminal stages never
change. These functions only touch the record: scheduling events is the service's business. Every
stage entered is recorded (``job.enter``, read back as ``job.events``) with the message set
*before* entering it.
"""

from __future__ import annotations

import functools

from fakehub.domain.jobs.outcomes import planned_lines
from fakehub.domain.jobs.records import Job, JobStage, LogLine
from fakehub.machines.progression import Step

TIMEOUT_MESSAGE = "Job timeout"


def next_step(job: Job) -> Step | None:
    outcome = job.outcome
    if job.stage is JobStage.SCHEDULING and outcome.final_stage != "SCHEDULING":
        return _step("start", "schedule", outcome.schedule_seconds)
    if job.stage is JobStage.RUNNING and outcome.finishes:
        return _step("finish", "run", outcome.seconds)
    return None


@functools.lru_cache(maxsize=256)
def _step(name: str, duration_key: str, seconds: float | None) -> Step:
    """Steps are frozen values: every job waiting for the same step shares one."""
    return Step(name, duration_key, seconds=seconds)


def _enter(job: Job, stage: JobStage, at_ns: int) -> None:
    job.stage = stage
    if stage.terminal:
        job.finished_at = at_ns
    job.enter(at_ns)


def start(job: Job, at_ns: int, run_seconds: float) -> None:
    """SCHEDULING -> RUNNING: the attempt begins and its log lines are planned."""
    job.message = None
    _enter(job, JobStage.RUNNING, at_ns)
    if job.started_at is None:
        job.started_at = at_ns
    job.attempt_started_at = at_ns
    command = (*job.spec.command, *job.spec.arguments)
    planned = planned_lines(job.outcome, command, at_ns, run_seconds)
    # a new list of exactly the lines (``extend`` from a generator leaves room for 8)
    job.lines = job.lines + [LogLine(at, text) for at, text in planned]


def _stop_lines(job: Job, at_ns: int, *, flush: bool) -> None:
    """Lines after ``at_ns`` are printed now (``flush``) or never (the job was killed)."""
    if not job.lines or job.lines[-1].at_ns <= at_ns:
        return  # every line is printed already: keep the list as it is
    kept = [line for line in job.lines if line.at_ns <= at_ns]
    if flush:
        kept += [LogLine(at_ns, line.text) for line in job.lines if line.at_ns > at_ns]
    job.lines = kept


def finish(job: Job, at_ns: int) -> None:
    """RUNNING -> COMPLETED / ERROR, or back to SCHEDULING for another attempt."""
    outcome = job.outcome
    _stop_lines(job, at_ns, flush=True)
    job.exit_code = outcome.effective_exit_code
    if outcome.final_stage == "COMPLETED":
        job.message = outcome.message
        _enter(job, JobStage.COMPLETED, at_ns)
        return
    job.failure_count += 1
    if job.attempt < job.spec.attempts:
        job.attempt += 1
        job.message = f"Retrying: attempt {job.attempt} of {job.spec.attempts}"
        _enter(job, JobStage.SCHEDULING, at_ns)
        return
    job.message = outcome.failure_message()
    _enter(job, JobStage.ERROR, at_ns)


def cancel(job: Job, at_ns: int) -> bool:
    """Any non-terminal stage -> CANCELED; False (and no change) if already terminal."""
    if job.stage.terminal:
        return False
    _stop_lines(job, at_ns, flush=False)
    job.message = None
    _enter(job, JobStage.CANCELED, at_ns)
    return True


def time_out(job: Job, at_ns: int) -> bool:
    """A job still running (or rescheduled for a retry) at its deadline ends in ERROR."""
    if job.stage.terminal:
        return False
    _stop_lines(job, at_ns, flush=False)
    job.message = TIMEOUT_MESSAGE
    job.exit_code = None
    _enter(job, JobStage.ERROR, at_ns)
    return True


def rescript(job: Job, at_ns: int, run_seconds: float) -> None:
    """A new script for a running attempt takes effect now: lines not yet printed are dropped
    and the new outcome's lines are planned over its run, counted from ``at_ns``."""
    if job.stage is not JobStage.RUNNING:
        return
    job.lines = [line for line in job.lines if line.at_ns <= at_ns]
    command = [*job.spec.command, *job.spec.arguments]
    planned = planned_lines(job.outcome, command, at_ns, run_seconds)
    job.lines.extend(LogLine(at, text) for at, text in planned[1:])  # no second banner
