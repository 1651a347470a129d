from __future__ import annotations

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.billing import BillingMeter
from fakehub.domain.catalogue import job_flavor, space_flavor

MINUTE = 60 * NS_PER_SECOND


def test_cost_accrues_per_minute_while_held() -> None:
    meter = BillingMeter()
    t4 = space_flavor("t4-small")
    assert t4 is not None  # $0.40/h = 6667 micro-USD a minute
    meter.hold("space:a/b", t4, 0)
    assert meter.total_micro_usd(30 * MINUTE) == 30 * 6667
    meter.release("space:a/b", 60 * MINUTE)
    assert meter.total_micro_usd(600 * MINUTE) == 60 * 6667
    assert meter.running_paid() == []


def test_switching_flavor_closes_the_previous_period() -> None:
    meter = BillingMeter()
    cpu = job_flavor("cpu-basic")
    a10g = job_flavor("a10g-small")
    assert cpu and a10g
    meter.hold("job:1", cpu, 0)
    meter.hold("job:1", cpu, 5 * MINUTE)  # same flavor: no new period
    meter.hold("job:1", a10g, 10 * MINUTE)
    assert [c.flavor for c in meter.charges()] == ["cpu-basic", "a10g-small"]
    assert meter.total_micro_usd(20 * MINUTE) == 10 * 167 + 10 * 16667
    assert [c.resource for c in meter.running_paid()] == ["job:1"]


def test_free_hardware_costs_nothing_and_is_not_reported_as_running_paid() -> None:
    meter = BillingMeter()
    free = space_flavor("cpu-basic")
    assert free is not None
    meter.hold("space:a/b", free, 0)
    assert meter.total_micro_usd(10**15) == 0
    assert meter.running_paid() == []
    assert meter.by_resource(MINUTE) == {"space:a/b": 0}


def test_a_period_of_no_time_leaves_no_trace() -> None:
    meter = BillingMeter()
    t4, a10g = space_flavor("t4-small"), space_flavor("a10g-small")
    assert t4 and a10g
    meter.hold("space:a/b", t4, 0)
    meter.hold("space:a/b", a10g, 0)  # switched at the same instant
    meter.release("space:a/b", MINUTE)
    assert [(c.flavor, c.start_ns, c.end_ns) for c in meter.charges()] == [
        ("a10g-small", 0, MINUTE)
    ]


def test_rename_moves_the_whole_history() -> None:
    meter = BillingMeter()
    t4 = space_flavor("t4-small")
    assert t4 is not None
    meter.hold("space:a/b", t4, 0)
    meter.release("space:a/b", MINUTE)
    meter.hold("space:a/b", t4, 2 * MINUTE)
    meter.rename("space:a/b", "space:a/c")
    assert {c.resource for c in meter.charges()} == {"space:a/c"}
    assert [c.resource for c in meter.running_paid()] == ["space:a/c"]
    assert meter.by_resource(3 * MINUTE) == {"space:a/c": 2 * 6667}
