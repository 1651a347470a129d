"""Invariants of jobs on the virtual clock, checked with Hypothesis."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from croniter import croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub import FakeHub, HubConfig
from fakehub.clock import NS_PER_SECOND
from fakehub.domain.accounts import Actor
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Job, JobSpec

outcomes = st.builds(
    JobOutcome.of,
    exit_code=st.integers(0, 3),
    seconds=st.integers(0, 120),
    schedule_seconds=st.integers(0, 10),
    logs=st.none() | st.lists(st.sampled_from(["a", "b", "c"]), max_size=4),
)
specs = st.builds(
    lambda attempts, timeout: JobSpec(
        "cpu-basic", ("python", "x.py"), "python:3.12", attempts=attempts, timeout_seconds=timeout
    ),
    st.integers(1, 3),
    st.integers(1, 300),
)


def _actor(hub: FakeHub) -> Actor:
    return Actor(user=hub.ctx.accounts.users["fakeuser"], role="write")


def _snapshot(job: Job) -> tuple[Any, ...]:
    return (
        job.stage,
        job.message,
        job.exit_code,
        job.started_at,
        job.finished_at,
        job.failure_count,
        tuple(job.lines),
    )


@settings(max_examples=60, deadline=None)
@given(
    script=st.lists(outcomes, min_size=1, max_size=3),
    spec=specs,
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("advance"), st.integers(0, 200)),
            st.tuples(st.just("cancel"), st.just(0)),
            st.tuples(st.just("inspect"), st.just(0)),
        ),
        max_size=12,
    ),
)
def test_a_terminal_job_never_changes(
    script: list[JobOutcome], spec: JobSpec, steps: list[tuple[str, int]]
) -> None:
    hub = FakeHub(HubConfig())
    hub.jobs.queue_outcomes(script)
    job = hub.jobs.run(_actor(hub), "fakeuser", spec)
    frozen: tuple[Any, ...] | None = None
    for action, value in [*steps, ("advance", 10_000)]:
        if action == "advance":
            hub.advance(value)
        elif action == "cancel":
            hub.jobs.cancel(_actor(hub), "fakeuser", job.id)
        else:
            hub.jobs.inspect(_actor(hub), "fakeuser", job.id)
        if frozen is not None:
            assert _snapshot(job) == frozen
        elif job.stage.terminal:
            frozen = _snapshot(job)
    assert job.stage.terminal


def _world(scripts: list[list[JobOutcome]], spec: JobSpec, schedule: str) -> FakeHub:
    hub = FakeHub(HubConfig())
    for script in scripts:
        hub.jobs.queue_outcomes(script)
        hub.jobs.run(_actor(hub), "fakeuser", spec)
    hub.jobs.scheduled.create(_actor(hub), "fakeuser", spec, schedule)
    return hub


def _state(hub: FakeHub) -> list[tuple[Any, ...]]:
    items = [(s.last_job, s.next_run_ns) for s in hub.jobs.scheduled.items.values()]
    return [(job.id, job.created_at, *_snapshot(job)) for job in hub.jobs.runs.jobs.values()] + [
        tuple(items)
    ]


@settings(max_examples=40, deadline=None)
@given(
    scripts=st.lists(st.lists(outcomes, min_size=1, max_size=2), min_size=1, max_size=3),
    spec=specs,
    schedule=st.sampled_from(["*/7 * * * *", "@hourly", "0 */3 * * *", "30 * * * * *"]),
    a=st.integers(0, 4 * 3600 * NS_PER_SECOND),
    b=st.integers(0, 4 * 3600 * NS_PER_SECOND),
)
def test_advancing_by_a_plus_b_equals_a_then_b(
    scripts: list[list[JobOutcome]], spec: JobSpec, schedule: str, a: int, b: int
) -> None:
    once, twice = _world(scripts, spec, schedule), _world(scripts, spec, schedule)
    start = once.now()
    once.move_to(start + a + b)
    twice.move_to(start + a)
    twice.move_to(start + a + b)
    assert _state(once) == _state(twice)


@settings(max_examples=40, deadline=None)
@given(
    schedule=st.sampled_from(["*/7 * * * *", "@hourly", "0 */3 * * *", "15 * * * *", "@daily"]),
    chunks=st.lists(st.integers(1, 30 * 3600), min_size=1, max_size=6),
)
def test_a_schedule_fires_exactly_once_per_due_occurrence(schedule: str, chunks: list[int]) -> None:
    hub = FakeHub(HubConfig())
    spec = JobSpec("cpu-basic", ("echo",), "python:3.12")
    item = hub.jobs.scheduled.create(_actor(hub), "fakeuser", spec, schedule, concurrency=True)
    start = hub.now()
    for seconds in chunks:
        hub.advance(seconds)
    end = hub.now()
    expected = []
    it = croniter(schedule, datetime.fromtimestamp(start / NS_PER_SECOND, tz=timezone.utc))
    while (at := int(it.get_next(float)) * NS_PER_SECOND) <= end:
        expected.append(at)
    runs = [job for job in hub.jobs.runs.jobs.values() if job.scheduled_job_id == item.id]
    assert [job.created_at for job in runs] == expected
    if expected:
        assert item.last_job == (runs[-1].id, expected[-1])
    assert item.next_run_ns > end
