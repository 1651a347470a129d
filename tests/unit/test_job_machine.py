"""The job stage machine and service on the virtual clock, without HTTP."""

from __future__ import annotations

import pytest

from fakehub import FakeHub
from fakehub.domain.accounts import Actor
from fakehub.domain.errors import BadRequest, Conflict, Forbidden, NotFound
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Job, JobSpec, JobStage
from fakehub.machines.policy import Policy
from fakehub.timefmt import iso


def _me(hub: FakeHub, role: str = "write") -> Actor:
    return Actor(user=hub.ctx.accounts.users["fakeuser"], role=role)  # type: ignore[arg-type]


def _run(hub: FakeHub, **kwargs: object) -> Job:
    spec = JobSpec(
        flavor=str(kwargs.pop("flavor", "cpu-basic")),
        command=tuple(kwargs.pop("command", ("python", "-c", "print(1)"))),  # type: ignore[arg-type]
        docker_image="python:3.12",
        **kwargs,  # type: ignore[arg-type]
    )
    return hub.jobs.run(_me(hub), "fakeuser", spec)


def _texts(hub: FakeHub, job: Job) -> list[str]:
    lines, _ = hub.jobs.log_lines(job.namespace, job.id)
    return [line.text for line in lines]


def test_default_run_schedules_runs_and_completes(hub: FakeHub) -> None:
    job = _run(hub)
    assert job.stage is JobStage.SCHEDULING and len(job.id) == 24
    assert job.labels["name"] == "python-3-12-3212e188"  # the client's own auto name
    hub.advance(4.9)
    assert job.stage is JobStage.SCHEDULING
    hub.advance(0.1)
    assert job.stage is JobStage.RUNNING
    assert job.started_at == job.created_at + 5_000_000_000
    assert _texts(hub, job) == [
        "===== Job started at 2026-01-01 00:00:05 =====",
        "+ python -c 'print(1)'",
    ]
    hub.advance(60)
    assert job.stage is JobStage.COMPLETED and job.exit_code == 0 and job.message is None
    assert iso(job.finished_at or 0) == "2026-01-01T00:01:05.000Z"
    assert _texts(hub, job)[-1] == "fakehub: exited with code 0"
    assert job.durations(hub.now() + 10**12) == (5, 60, 65)


def test_scripted_failure_prints_lines_and_ends_in_error(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome.of(exit_code=3, seconds=10, logs=["a", "b"], message="boom"))
    job = _run(hub)
    hub.advance(5)
    assert _texts(hub, job)[1:] == ["a"]
    hub.advance(5)
    assert _texts(hub, job)[1:] == ["a", "b"]
    hub.advance(5)
    assert (job.stage, job.exit_code, job.message) == (JobStage.ERROR, 3, "boom")


def test_attempts_retry_a_failed_run(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes([JobOutcome(exit_code=1, seconds=1), JobOutcome(seconds=1)])
    job = _run(hub, attempts=3)
    hub.advance(6)
    assert (job.stage, job.failure_count, job.attempt) == (JobStage.SCHEDULING, 1, 2)
    hub.advance(6)
    assert job.stage is JobStage.COMPLETED and job.failure_count == 1
    banners = [t for t in _texts(hub, job) if t.startswith("===== Job started")]
    assert len(banners) == 2


def test_last_attempt_failure_is_final(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome(exit_code=2, seconds=1))
    job = _run(hub, attempts=2)
    hub.advance(60)
    assert (job.stage, job.failure_count, job.message) == (
        JobStage.ERROR,
        2,
        "Job failed with exit code 2",
    )


def test_timeout_ends_a_hanging_job_in_error(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome(stage="RUNNING", logs=None))
    job = _run(hub, timeout_seconds=30)
    hub.advance(34.9)
    assert job.stage is JobStage.RUNNING
    hub.advance(0.1)
    assert (job.stage, job.message) == (JobStage.ERROR, "Job timeout")
    assert job.finished_at == job.created_at + 35 * 10**9


def test_cancel_from_scheduling_and_running_terminal_never_changes(hub: FakeHub) -> None:
    first, second = _run(hub), _run(hub)
    hub.jobs.cancel(_me(hub), "fakeuser", first.id)
    assert first.stage is JobStage.CANCELED
    hub.advance(10)
    assert second.stage is JobStage.RUNNING
    hub.jobs.cancel(_me(hub), "fakeuser", second.id)
    before = (second.stage, second.finished_at, list(second.lines))
    hub.advance(3600)
    hub.jobs.cancel(_me(hub), "fakeuser", second.id)
    assert (second.stage, second.finished_at, list(second.lines)) == before
    assert first.stage is JobStage.CANCELED
    with pytest.raises(Conflict):
        hub.jobs.script("fakeuser", second.id, JobOutcome())


def test_script_a_running_job_to_fail_now(hub: FakeHub) -> None:
    job = _run(hub)
    hub.advance(20)
    hub.jobs.script("fakeuser", job.id, JobOutcome.of(exit_code=137, seconds=0, logs=["Killed"]))
    assert (job.stage, job.exit_code) == (JobStage.ERROR, 137)
    assert _texts(hub, job)[-1] == "Killed"


def test_stuck_scheduling_outcome_never_starts(hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome(stage="SCHEDULING", message="Waiting for GPUs"))
    job = _run(hub, flavor="h200")
    hub.advance(86400)
    assert job.stage is JobStage.SCHEDULING


def test_instant_and_per_poll_policies(hub: FakeHub) -> None:
    hub.set_policy("job", Policy(kind="instant"))
    assert _run(hub).stage is JobStage.COMPLETED
    hub.set_policy("job", Policy(kind="per-poll", polls=2))
    job = _run(hub)
    stages = [hub.jobs.inspect(_me(hub), "fakeuser", job.id).stage for _ in range(4)]
    assert stages == [JobStage.SCHEDULING, JobStage.RUNNING, JobStage.RUNNING, JobStage.COMPLETED]


def test_bad_input_changes_nothing(hub: FakeHub) -> None:
    with pytest.raises(BadRequest, match="flavor: unknown flavor 'gpu-huge'"):
        _run(hub, flavor="gpu-huge")
    with pytest.raises(BadRequest, match="command"):
        _run(hub, command=())
    with pytest.raises(BadRequest, match="timeoutSeconds"):
        _run(hub, timeout_seconds=0)
    with pytest.raises(Forbidden, match="read-only"):
        hub.jobs.run(_me(hub, "read"), "fakeuser", JobSpec("cpu-basic", ("x",), "python:3.12"))
    assert hub.jobs.runs.jobs == {}
    with pytest.raises(NotFound, match="Job not found"):
        hub.jobs.inspect(_me(hub), "fakeuser", "0" * 24)


def test_list_filters_newest_first_and_pages(hub: FakeHub) -> None:
    jobs = [_run(hub, labels={"team": "a" if i % 2 else "b"}) for i in range(5)]
    hub.jobs.cancel(_me(hub), "fakeuser", jobs[1].id)
    hub.jobs.page_size = 2
    me = _me(hub)
    page = hub.jobs.list_jobs(me, "fakeuser")
    assert [j.id for j in page.jobs] == [jobs[4].id, jobs[3].id] and page.next_cursor
    rest = hub.jobs.list_jobs(me, "fakeuser", cursor=page.next_cursor)
    assert [j.id for j in rest.jobs] == [jobs[2].id, jobs[1].id]
    team_a = hub.jobs.list_jobs(
        me, "fakeuser", stages=frozenset({JobStage.SCHEDULING}), labels=(("team", "a"),)
    )
    assert [j.id for j in team_a.jobs] == [jobs[3].id] and team_a.next_cursor is None


def test_cron_parsing_and_next_occurrence() -> None:
    from fakehub.domain.jobs.cron import Cron

    start = 1_767_225_600 * 10**9  # 2026-01-01T00:00:00Z
    assert iso(Cron.parse("@daily", start).next_after(start) or 0) == "2026-01-02T00:00:00.000Z"
    assert iso(Cron.parse("*/15 * * * *", start).next_after(start) or 0) == (
        "2026-01-01T00:15:00.000Z"
    )
    # six fields put seconds first
    assert iso(Cron.parse("30 * * * * *", start).next_after(start) or 0) == (
        "2026-01-01T00:00:30.000Z"
    )
    for bad in ["MON * * * *", "* * * *", "@every", "61 * * * *", "0 0 30 2 *"]:
        with pytest.raises(BadRequest, match="schedule"):
            Cron.parse(bad, start)


def test_every_stage_entered_is_recorded_with_its_status(hub: FakeHub) -> None:
    """What ``/events`` replays: creation, then each stage entered, message set beforehand."""
    hub.jobs.queue_outcomes(JobOutcome(stage="RUNNING"))  # hangs until its timeout
    job = _run(hub, timeout_seconds=30)
    hub.advance(100)
    events, finished = hub.jobs.stage_events("fakeuser", job.id)
    assert finished
    assert [(e.stage, e.message, iso(e.at_ns)) for e in events] == [
        (JobStage.SCHEDULING, None, "2026-01-01T00:00:00.000Z"),
        (JobStage.RUNNING, None, "2026-01-01T00:00:05.000Z"),
        (JobStage.ERROR, "Job timeout", "2026-01-01T00:00:35.000Z"),
    ]
    canceled = _run(hub)
    hub.jobs.cancel(_me(hub), "fakeuser", canceled.id)
    stages = [e.stage for e in hub.jobs.stage_events("fakeuser", canceled.id)[0]]
    assert stages == [JobStage.SCHEDULING, JobStage.CANCELED]


def test_a_retried_job_keeps_one_compact_timeline_for_events_history_and_durations(
    hub: FakeHub,
) -> None:
    """Events, the dashboard's history and the durations all read the stages entered."""
    hub.jobs.queue_outcomes([JobOutcome(exit_code=1), JobOutcome()])  # fails once, then passes
    job = _run(hub, attempts=2)
    hub.advance(30)  # 5 s scheduling, 60 s running: still in the first attempt
    assert job.durations(hub.now()) == (5, 25, 30)
    hub.advance(1000)
    events, _ = hub.jobs.stage_events("fakeuser", job.id)
    assert [
        (e.stage.value, e.failure_count, e.at_ns // 10**9 - events[0].at_ns // 10**9)
        for e in events
    ] == [
        ("SCHEDULING", 0, 0),
        ("RUNNING", 0, 5),
        ("SCHEDULING", 1, 65),
        ("RUNNING", 1, 70),
        ("COMPLETED", 1, 130),
    ]
    assert events[2].message == "Retrying: attempt 2 of 2"
    marks = job.history.marks
    assert [(m.at_ns, m.stage, m.requested) for m in marks] == [
        (e.at_ns, e.stage.value, "cpu-basic") for e in events
    ]
    assert job.history.dropped == 0
    # SCHEDULING 5 + 5 s, RUNNING 60 + 60 s; a finished job's clock has stopped
    assert job.durations(hub.now()) == (10, 120, 130)
    other = _run(hub)
    assert other.entered[0] is job.entered[0]  # statuses are shared values
