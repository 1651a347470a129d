"""Billing invariants over random Space and Job histories (with outages), checked with Hypothesis.

Whatever happens, the bill never goes down as time passes, the total is the sum of the
per-resource costs (each the sum of its periods), a closed period never changes, and what is
reported as running on paid hardware is exactly the open periods at a price.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub import FakeHub, HubConfig
from fakehub.domain.accounts import Actor
from fakehub.domain.billing import BillingReport
from fakehub.domain.jobs.records import JobSpec
from fakehub.machines.policy import Policy
from tests.space_factory import add_space

SPACE_FLAVORS = ["cpu-basic", "t4-small", "a10g-small"]
JOB_FLAVORS = ["cpu-basic", "t4-small", "a10g-small"]
POLICIES = ["timed", "instant", "per-poll(2)"]

actions = st.one_of(
    st.tuples(st.just("advance"), st.integers(0, 900)),
    st.tuples(st.just("hardware"), st.sampled_from(SPACE_FLAVORS)),
    st.tuples(st.just("pause"), st.none()),
    st.tuples(st.just("restart"), st.none()),
    st.tuples(st.just("visit"), st.none()),
    st.tuples(st.just("poll"), st.none()),
    st.tuples(st.just("job"), st.sampled_from(JOB_FLAVORS)),
    st.tuples(st.just("cancel"), st.none()),
    st.tuples(st.just("outage"), st.sampled_from(SPACE_FLAVORS)),
    st.tuples(st.just("clear"), st.none()),
)


def _apply(hub: FakeHub, me: Actor, jobs: list[str], action: str, arg: Any) -> None:
    repo = "fakeuser/demo"
    if action == "advance":
        hub.advance(arg)
    elif action == "hardware":
        hub.spaces.request_hardware(me, repo, arg, sleep_time=600)
    elif action == "pause":
        hub.spaces.pause(me, repo)
    elif action == "restart":
        hub.spaces.restart(me, repo)
    elif action == "visit":
        hub.spaces.visit(repo)
    elif action == "poll":
        hub.spaces.runtime(me, repo)
        for job_id in jobs:
            hub.jobs.inspect(me, "fakeuser", job_id)
    elif action == "job":
        spec = JobSpec(arg, ("python", "x.py"), "python:3.12", timeout_seconds=600)
        jobs.append(hub.jobs.run(me, "fakeuser", spec).id)
    elif action == "cancel" and jobs:
        hub.jobs.cancel(me, "fakeuser", jobs[0])
    elif action == "outage":
        hub.outages.add(arg, duration_s=300)
    elif action == "clear":
        hub.outages.clear()


def _check(report: BillingReport, previous: BillingReport | None) -> None:
    assert report.total_micro_usd == sum(r.cost_micro_usd for r in report.resources)
    for bill in report.resources:
        assert bill.cost_micro_usd == sum(p.cost_micro_usd for p in bill.periods) >= 0
        assert sum(p.open for p in bill.periods) <= 1  # one flavor held at a time
        for period in bill.periods:
            assert period.start_ns <= (period.end_ns or report.at_ns) <= report.at_ns
    open_paid = [p for r in report.resources for p in r.periods if p.open and p.unit_cost_micro_usd]
    assert sorted(report.running_paid, key=repr) == sorted(open_paid, key=repr)
    if previous is None:
        return
    assert report.at_ns >= previous.at_ns
    assert report.total_micro_usd >= previous.total_micro_usd
    now_closed = {(p.resource, p.start_ns): p for r in report.resources for p in r.periods}
    for bill in previous.resources:
        assert report.cost_micro_usd(bill.resource) >= bill.cost_micro_usd
        for period in bill.periods:
            if not period.open:
                assert now_closed[(period.resource, period.start_ns)] == period


@settings(max_examples=60, deadline=None)
@given(
    space_policy=st.sampled_from(POLICIES),
    job_policy=st.sampled_from(POLICIES),
    history=st.lists(actions, max_size=25),
)
def test_billing_only_grows_and_adds_up(
    space_policy: str, job_policy: str, history: list[tuple[str, Any]]
) -> None:
    hub = FakeHub(HubConfig())
    hub.set_policy("space", Policy.parse(space_policy))
    hub.set_policy("job", Policy.parse(job_policy))
    me = hub.ctx.accounts.authenticate("Bearer hf_fake_write")
    assert me is not None
    add_space(hub, hardware="t4-small")
    jobs: list[str] = []
    previous: BillingReport | None = None
    for action, arg in history:
        _apply(hub, me, jobs, action, arg)
        report = hub.billing()
        _check(report, previous)
        previous = report
    hub.advance(3 * 3600)
    report = hub.billing()
    _check(report, previous)
    if job_policy != "per-poll(2)":  # per-poll jobs move only when read
        # Every job is over by now (timeouts are 10 minutes): none holds hardware any more.
        assert all(hub.jobs.runs.jobs[j].stage.terminal for j in jobs)
        assert [p.kind for p in report.running_paid] in ([], ["space"])
