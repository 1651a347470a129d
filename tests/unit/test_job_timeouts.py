"""A job's timeout is armed only when it can matter (issue 14: a month of cron runs armed and
cancelled 72,000 timeouts); whatever changes a running job's course arms it."""

from __future__ import annotations

from fakehub import FakeHub
from fakehub.domain.accounts import Actor
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Job, JobSpec, JobStage
from fakehub.machines.policy import Policy


def _me(hub: FakeHub) -> Actor:
    return Actor(user=hub.ctx.accounts.users["fakeuser"], role="write")


def _run(hub: FakeHub, timeout_seconds: int = 1800, attempts: int = 1) -> Job:
    spec = JobSpec(
        "cpu-basic",
        ("python", "-c", "print(1)"),
        "python:3.12",
        timeout_seconds=timeout_seconds,
        attempts=attempts,
    )
    return hub.jobs.run(_me(hub), "fakeuser", spec)


def _timeouts(hub: FakeHub) -> list[str]:
    return [h.label for h in hub.ctx.scheduler.pending() if h.label.endswith(":timeout")]


def test_a_run_that_finishes_before_its_deadline_arms_no_timeout(hub: FakeHub) -> None:
    job = _run(hub)
    hub.advance(10)
    assert job.stage is JobStage.RUNNING and job.timeout_handle is None
    assert _timeouts(hub) == []
    hub.advance(60)
    assert (job.stage, job.exit_code) == (JobStage.COMPLETED, 0)


def test_a_run_longer_than_its_deadline_times_out_at_it(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome.of(seconds=100))
    job = _run(hub, timeout_seconds=60)
    hub.advance(10)
    assert _timeouts(hub) == [f"job:{job.id}:timeout"]
    hub.advance(60)
    assert (job.stage, job.message) == (JobStage.ERROR, "Job timeout")
    assert job.finished_at == job.created_at + 65 * 10**9


def test_a_finish_due_exactly_at_the_deadline_loses_to_the_timeout(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome.of(seconds=60))
    job = _run(hub, timeout_seconds=60)
    hub.advance(100)
    assert (job.stage, job.message) == (JobStage.ERROR, "Job timeout")


def test_a_new_script_on_a_running_job_arms_its_deadline_from_the_first_start(
    hub: FakeHub,
) -> None:
    job = _run(hub, timeout_seconds=120)
    hub.advance(10)
    assert job.timeout_handle is None
    hub.jobs.script("fakeuser", job.id, JobOutcome(stage="RUNNING"))  # now it hangs
    assert _timeouts(hub) == [f"job:{job.id}:timeout"]
    hub.advance(200)
    assert (job.stage, job.message) == (JobStage.ERROR, "Job timeout")
    assert job.finished_at == job.created_at + 125 * 10**9


def test_retries_keep_one_deadline_counted_from_the_first_start(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome.of(exit_code=1))
    job = _run(hub, timeout_seconds=100, attempts=3)
    hub.advance(10)
    assert _timeouts(hub) == [f"job:{job.id}:timeout"]  # a failed attempt is retried
    hub.advance(500)
    assert (job.stage, job.message) == (JobStage.ERROR, "Job timeout")
    assert job.finished_at == job.created_at + 105 * 10**9


def test_other_policies_arm_the_timeout_as_before(hub: FakeHub) -> None:
    hub.set_policy("job", Policy.parse("per-poll(2)"))
    job = _run(hub, timeout_seconds=60)
    for _ in range(2):
        hub.jobs.inspect(_me(hub), "fakeuser", job.id)
    assert job.stage is JobStage.RUNNING
    assert _timeouts(hub) == [f"job:{job.id}:timeout"]
    hub.advance(61)
    assert (job.stage, job.message) == (JobStage.ERROR, "Job timeout")
