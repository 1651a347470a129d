"""Billing through real Space and Job flows: what is held, when, and what it costs."""

from __future__ import annotations

import pytest

from fakehub import FakeHub
from fakehub.clock import NS_PER_SECOND
from fakehub.domain.accounts import Actor
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Job, JobSpec, JobStage
from fakehub.domain.spaces.records import SpaceStage
from tests.space_factory import add_space

A10G = 16667  # micro-USD a minute ($1.00/h)
T4 = 6667  # $0.40/h
JOB_CPU = 167  # Jobs bill cpu-basic too ($0.01/h)


@pytest.fixture
def me(hub: FakeHub) -> Actor:
    actor = hub.ctx.accounts.authenticate("Bearer hf_fake_write")
    assert actor is not None
    return actor


def _minutes(unit: int, seconds: float) -> int:
    return round(seconds * NS_PER_SECOND) * unit // (60 * NS_PER_SECOND)


def _run(hub: FakeHub, me: Actor, flavor: str = "a10g-small", **kwargs: object) -> Job:
    spec = JobSpec(
        flavor=flavor, command=("python", "train.py"), docker_image="python:3.12", **kwargs
    )  # type: ignore[arg-type]
    return hub.jobs.run(me, "fakeuser", spec)


# -- Spaces ---------------------------------------------------------------------------------------


def test_a_space_is_billed_only_once_its_app_runs_on_paid_hardware(hub: FakeHub) -> None:
    start = hub.now()
    add_space(hub, hardware="a10g-small")
    hub.advance(39)  # build 30 s + start 10 s: not billed
    assert hub.billing().total_micro_usd == 0
    assert hub.paid_hardware_running() == ()
    hub.advance(1)
    hub.advance(120)
    report = hub.billing()
    assert report.cost_micro_usd("space:fakeuser/demo") == 2 * A10G
    (bill,) = report.resources
    assert (bill.kind, bill.id, len(bill.periods)) == ("space", "fakeuser/demo", 1)
    period = bill.periods[0]
    assert period.flavor == "a10g-small" and period.open
    assert period.start_ns == start + 40 * NS_PER_SECOND
    (running,) = hub.paid_hardware_running()
    assert running.resource == "space:fakeuser/demo" and running.cost_micro_usd == 2 * A10G


def test_pause_stops_the_meter_and_a_restart_opens_a_new_period(hub: FakeHub, me: Actor) -> None:
    add_space(hub, hardware="t4-small")
    hub.advance(40 + 300)
    hub.spaces.pause(me, "fakeuser/demo")
    assert hub.paid_hardware_running() == ()
    hub.advance(3600)
    assert hub.billing().total_micro_usd == 5 * T4
    hub.spaces.restart(me, "fakeuser/demo")
    hub.advance(40 + 60)
    bill = hub.billing().resources[0]
    assert [p.open for p in bill.periods] == [False, True]
    assert bill.cost_micro_usd == 6 * T4


def test_a_sleeping_space_costs_nothing_until_a_visit_wakes_it(hub: FakeHub) -> None:
    space = add_space(hub, hardware="t4-small", sleep_time=600)
    hub.advance(40 + 600)
    assert space.stage is SpaceStage.SLEEPING
    assert hub.paid_hardware_running() == ()
    hub.advance(86400)
    assert hub.billing().total_micro_usd == 10 * T4
    hub.spaces.visit("fakeuser/demo")
    hub.advance(10 + 60)  # wakes through APP_STARTING (not billed), then a minute running
    assert hub.billing().total_micro_usd == 11 * T4


def test_a_downgrade_bills_the_old_hardware_until_the_new_app_runs(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub, hardware="a10g-small")
    hub.advance(40 + 60)
    hub.spaces.request_hardware(me, "fakeuser/demo", "cpu-basic")
    assert space.stage is SpaceStage.RUNNING_BUILDING and space.current_hardware == "a10g-small"
    hub.advance(39)
    assert len(hub.paid_hardware_running()) == 1  # the old app still serves on the A10G
    hub.advance(1)
    assert space.stage is SpaceStage.RUNNING and space.current_hardware == "cpu-basic"
    assert hub.paid_hardware_running() == ()
    hub.advance(3600)
    periods = hub.billing().resources[0].periods
    assert [(p.flavor, p.cost_micro_usd) for p in periods] == [
        ("a10g-small", _minutes(A10G, 100)),
        ("cpu-basic", 0),
    ]


def test_an_upgrade_switches_the_period_when_the_new_app_comes_up(hub: FakeHub, me: Actor) -> None:
    add_space(hub, hardware="t4-small")
    hub.advance(40 + 60)
    hub.spaces.request_hardware(me, "fakeuser/demo", "a10g-small")
    hub.advance(40 + 60)
    periods = hub.billing().resources[0].periods
    assert [(p.flavor, p.cost_micro_usd) for p in periods] == [
        ("t4-small", _minutes(T4, 100)),
        ("a10g-small", A10G),
    ]


def test_errors_and_deletion_stop_the_meter(hub: FakeHub, me: Actor) -> None:
    add_space(hub, "fakeuser/crashy", hardware="t4-small")
    hub.spaces.script("fakeuser/crashy", crash_after=60)
    add_space(hub, "fakeuser/gone", hardware="t4-small")
    hub.advance(40 + 120)
    hub.repos.delete(me, "fakeuser/gone")
    hub.advance(3600)
    report = hub.billing()
    assert report.cost_micro_usd("space:fakeuser/crashy") == T4  # crashed after a minute
    assert report.cost_micro_usd("space:fakeuser/gone") == 2 * T4
    assert report.running_paid == ()


def test_free_spaces_are_metered_at_zero(hub: FakeHub) -> None:
    add_space(hub)
    add_space(hub, "fakeuser/site", sdk="static")
    hub.advance(3600)
    report = hub.billing()
    assert report.total_micro_usd == 0 and report.running_paid == ()
    # The static Space runs on no hardware at all; cpu-basic is held, at no cost.
    assert [(r.id, r.periods[0].flavor) for r in report.resources] == [
        ("fakeuser/demo", "cpu-basic")
    ]


def test_a_moved_space_keeps_its_history(hub: FakeHub, me: Actor) -> None:
    add_space(hub, hardware="t4-small")
    hub.advance(40 + 60)
    hub.repos.move(me, "fakeuser/demo", "fakeuser/renamed")
    hub.advance(60)
    report = hub.billing()
    assert [r.id for r in report.resources] == ["fakeuser/renamed"]
    assert report.cost_micro_usd("space:fakeuser/renamed") == 2 * T4
    assert [p.id for p in report.running_paid] == ["fakeuser/renamed"]


# -- Jobs -----------------------------------------------------------------------------------------


def test_a_job_is_billed_while_running_only(hub: FakeHub, me: Actor) -> None:
    job = _run(hub, me)
    hub.advance(5)
    assert job.stage is JobStage.RUNNING and hub.billing().total_micro_usd == 0
    (running,) = hub.paid_hardware_running()
    assert running.resource == f"job:{job.id}"
    hub.advance(60)
    assert job.stage is JobStage.COMPLETED
    hub.advance(600)
    report = hub.billing()
    assert report.cost_micro_usd(f"job:{job.id}") == A10G
    period = report.resources[0].periods[0]
    assert (period.start_ns, period.end_ns) == (job.started_at, job.finished_at)
    assert report.running_paid == ()


def test_cancel_and_timeout_release_the_hardware(hub: FakeHub, me: Actor) -> None:
    cancelled = _run(hub, me)
    timed_out = _run(hub, me, flavor="cpu-basic", timeout_seconds=30)
    hub.advance(5 + 20)
    hub.jobs.cancel(me, "fakeuser", cancelled.id)
    hub.advance(3600)
    assert timed_out.stage is JobStage.ERROR
    report = hub.billing()
    assert report.cost_micro_usd(f"job:{cancelled.id}") == _minutes(A10G, 20)
    assert report.cost_micro_usd(f"job:{timed_out.id}") == _minutes(JOB_CPU, 30)
    assert report.running_paid == ()


def test_retries_bill_each_attempt_not_the_rescheduling(hub: FakeHub, me: Actor) -> None:
    hub.jobs.queue_outcomes([JobOutcome(exit_code=1, seconds=30), JobOutcome(seconds=90)])
    job = _run(hub, me, attempts=2)
    hub.advance(5 + 30 + 5 + 90)
    assert job.stage is JobStage.COMPLETED and job.failure_count == 1
    periods = hub.billing().resources[0].periods
    assert [p.cost_micro_usd for p in periods] == [_minutes(A10G, 30), _minutes(A10G, 90)]
    assert periods[1].start_ns - (periods[0].end_ns or 0) == 5 * NS_PER_SECOND


def test_a_reset_forgets_every_charge(hub: FakeHub, me: Actor) -> None:
    _run(hub, me)
    hub.advance(30)
    assert hub.billing().total_micro_usd > 0
    hub.reset()
    assert hub.billing().resources == () and hub.paid_hardware_running() == ()
