"""Flavor capacity outages: Spaces and Jobs wait for the flavor, under every policy."""

from __future__ import annotations

import pytest

from fakehub import FakeHub
from fakehub.clock import NS_PER_SECOND
from fakehub.domain.accounts import Actor
from fakehub.domain.errors import BadRequest
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Job, JobSpec, JobStage
from fakehub.domain.spaces.records import Space, SpaceStage
from fakehub.machines.policy import Policy
from tests.space_factory import add_space

S = SpaceStage
TEN_MINUTES = 600.0
POLICIES = [Policy(), Policy(kind="per-poll"), Policy(kind="instant")]


@pytest.fixture
def me(hub: FakeHub) -> Actor:
    actor = hub.ctx.accounts.authenticate("Bearer hf_fake_write")
    assert actor is not None
    return actor


def _run(hub: FakeHub, me: Actor, flavor: str = "a10g-small", **kwargs: object) -> Job:
    spec = JobSpec(flavor=flavor, command=("python", "x.py"), docker_image="python:3.12", **kwargs)  # type: ignore[arg-type]
    return hub.jobs.run(me, "fakeuser", spec)


def _running_space(hub: FakeHub) -> Space:
    hub.set_policy("space", Policy(kind="instant"))
    space = add_space(hub)
    assert space.stage is S.RUNNING
    return space


def _poll_space(hub: FakeHub, me: Actor, times: int) -> None:
    for _ in range(times):
        hub.spaces.runtime(me, "fakeuser/demo")


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.describe())
def test_a_hardware_request_waits_for_the_outage_to_end(
    hub: FakeHub, me: Actor, policy: Policy
) -> None:
    space = _running_space(hub)
    hub.set_policy("space", policy)
    start = hub.now()
    hub.outages.add("a10g-small", duration_s=TEN_MINUTES)
    hub.spaces.request_hardware(me, "fakeuser/demo", "a10g-small")
    assert (space.stage, space.requested_hardware, space.current_hardware) == (
        S.RUNNING_BUILDING,
        "a10g-small",
        "cpu-basic",
    )
    assert space.build_logs[-1].text.startswith("Waiting for a10g-small capacity")
    hub.advance(TEN_MINUTES - 1)
    _poll_space(hub, me, 5)  # per-poll: reads do not take the waiting step either
    assert space.stage is S.RUNNING_BUILDING and space.current_hardware == "cpu-basic"
    waiting_lines = [line for line in space.build_logs if "capacity" in line.text]
    assert len(waiting_lines) == 1  # said once, not on every poll
    hub.advance(1)
    if policy.kind == "per-poll":
        _poll_space(hub, me, 2)
    elif policy.kind == "timed":
        hub.advance(40)
    assert space.stage is S.RUNNING and space.current_hardware == "a10g-small"
    if policy.kind == "instant":
        assert space.build_logs[-1].at_ns == start + round(TEN_MINUTES * NS_PER_SECOND)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.describe())
def test_a_job_stays_scheduling_until_the_outage_ends(
    hub: FakeHub, me: Actor, policy: Policy
) -> None:
    hub.set_policy("job", policy)
    start = hub.now()
    hub.outages.add("a10g-small", duration_s=TEN_MINUTES, kind="job")
    job = _run(hub, me)
    for _ in range(5):
        hub.jobs.inspect(me, "fakeuser", job.id)
    hub.advance(TEN_MINUTES - 1)
    assert job.stage is JobStage.SCHEDULING
    assert job.message == "Waiting for a10g-small capacity"
    assert hub.paid_hardware_running() == ()
    hub.advance(1)
    if policy.kind == "per-poll":
        hub.jobs.inspect(me, "fakeuser", job.id)
    elif policy.kind == "timed":
        hub.advance(5)
    assert job.stage in (JobStage.RUNNING, JobStage.COMPLETED)
    assert job.started_at is not None and job.started_at >= start + 600 * NS_PER_SECOND
    if job.stage is JobStage.RUNNING:
        assert job.message is None


def test_an_outage_that_begins_after_the_step_was_armed_still_holds_it(hub: FakeHub) -> None:
    start = hub.now()
    space = add_space(hub, hardware="t4-small")  # timed: the build is due at +30 s
    hub.outages.add("t4-small", start_ns=start + 10 * NS_PER_SECOND, duration_s=90)
    hub.advance(99)
    assert space.stage is S.BUILDING
    hub.advance(1 + 29)
    assert space.stage is S.BUILDING  # the build takes its 30 s from the outage's end
    hub.advance(1)
    assert space.stage is S.APP_STARTING


def test_a_space_outage_leaves_jobs_alone_and_other_flavors_too(hub: FakeHub, me: Actor) -> None:
    hub.outages.add("a10g-small", duration_s=TEN_MINUTES, kind="space")
    hub.outages.add("t4-small", duration_s=TEN_MINUTES)
    job = _run(hub, me)
    space = add_space(hub, hardware="l4x1")
    hub.advance(60)
    assert job.stage is JobStage.RUNNING
    assert space.stage is S.RUNNING


def test_clearing_the_outages_lets_waiters_proceed_at_once(hub: FakeHub, me: Actor) -> None:
    hub.set_policy("space", Policy(kind="instant"))
    hub.set_policy("job", Policy(kind="instant"))
    hub.outages.add("a10g-small", duration_s=TEN_MINUTES)
    space = add_space(hub, hardware="a10g-small")
    job = _run(hub, me)
    hub.jobs.script("fakeuser", job.id, JobOutcome(stage="RUNNING"))
    hub.advance(60)
    assert (space.stage, job.stage) == (S.BUILDING, JobStage.SCHEDULING)
    assert hub.outages.clear() == 1
    assert (space.stage, job.stage) == (S.RUNNING, JobStage.RUNNING)
    assert hub.outages.declared() == []


def test_a_space_paused_while_waiting_stays_paused(hub: FakeHub, me: Actor) -> None:
    hub.outages.add("a10g-small", duration_s=TEN_MINUTES)
    space = add_space(hub, hardware="a10g-small")
    hub.advance(60)
    hub.spaces.pause(me, "fakeuser/demo")
    hub.advance(TEN_MINUTES)
    assert space.stage is S.PAUSED
    hub.spaces.restart(me, "fakeuser/demo")
    hub.advance(40)
    assert space.stage is S.RUNNING


def test_chained_outages_are_waited_out_one_after_the_other(hub: FakeHub, me: Actor) -> None:
    start = hub.now()
    hub.outages.add("a10g-small", duration_s=60, kind="job")
    hub.outages.add("a10g-small", start_ns=start + 30 * NS_PER_SECOND, duration_s=120)
    job = _run(hub, me)
    hub.advance(149)
    assert job.stage is JobStage.SCHEDULING
    hub.advance(1 + 5)
    assert job.stage is JobStage.RUNNING
    assert job.started_at == start + 155 * NS_PER_SECOND


def test_waiting_for_capacity_does_not_use_up_the_job_timeout(hub: FakeHub, me: Actor) -> None:
    hub.outages.add("a10g-small", duration_s=TEN_MINUTES)
    job = _run(hub, me, timeout_seconds=120)
    hub.advance(TEN_MINUTES + 5 + 60)
    assert job.stage is JobStage.COMPLETED and job.exit_code == 0


def test_a_waiting_space_is_not_billed_for_the_flavor_it_waits_for(hub: FakeHub, me: Actor) -> None:
    _running_space(hub)
    hub.set_policy("space", Policy())
    hub.outages.add("a10g-small", duration_s=TEN_MINUTES)
    hub.spaces.request_hardware(me, "fakeuser/demo", "a10g-small")
    hub.advance(TEN_MINUTES + 40 + 60)
    periods = hub.billing().resources[0].periods
    assert [(p.flavor, p.cost_micro_usd) for p in periods] == [
        ("cpu-basic", 0),
        ("a10g-small", 16667),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"flavor": "a10g-hyper", "duration_s": 60.0}, "flavor: unknown flavor 'a10g-hyper'"),
        ({"flavor": "h200", "duration_s": 60.0, "kind": "space"}, "unknown flavor 'h200'"),
        ({"flavor": "t4-small", "duration_s": 60.0, "kind": "gpu"}, "kind: expected"),
        ({"flavor": "t4-small", "duration_s": 0.0}, "for: expected a positive duration"),
        ({"flavor": "t4-small", "duration_s": float("inf")}, "for: expected a positive"),
        ({"flavor": "t4-small", "duration_s": 60.0, "start_ns": 0}, "start: "),
    ],
)
def test_bad_outages_are_refused_and_change_nothing(
    hub: FakeHub, kwargs: dict[str, object], message: str
) -> None:
    before = hub.dump()
    with pytest.raises(BadRequest, match=message):
        hub.outages.add(**kwargs)  # type: ignore[arg-type]
    assert hub.outages.declared() == [] and hub.dump() == before


def test_outages_are_listed_and_forgotten_by_a_reset(hub: FakeHub) -> None:
    outage = hub.outages.add("h200", duration_s=60, kind="job")
    assert hub.outages.declared() == [outage] and hub.outages.active() == [outage]
    hub.advance(60)
    assert hub.outages.active() == [] and hub.outages.declared() == [outage]
    hub.reset()
    assert hub.outages.declared() == []
