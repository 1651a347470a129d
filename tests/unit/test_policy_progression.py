from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from fakehub.clock import NS_PER_SECOND
from fakehub.machines.policy import DEFAULT_DURATIONS, Policy
from fakehub.machines.progression import Progression, Step
from fakehub.scheduler import Scheduler


@dataclass
class Counter:
    """A resource that walks 0 -> 1 -> 2 -> 3 and rests there."""

    value: int = 0
    applied_at: list[int] = field(default_factory=list)

    def next_step(self) -> Step | None:
        return Step(f"to-{self.value + 1}", "build") if self.value < 3 else None

    def apply(self, step: Step, at_ns: int) -> None:
        self.value += 1
        self.applied_at.append(at_ns)


@pytest.mark.parametrize(
    ("text", "kind", "polls"),
    [
        ("timed", "timed", 1),
        ("instant", "instant", 1),
        ("per-poll", "per-poll", 1),
        ("per-poll(3)", "per-poll", 3),
        ("per-poll:2", "per-poll", 2),
        ("PER_POLL(4)", "per-poll", 4),
    ],
)
def test_policy_parse(text: str, kind: str, polls: int) -> None:
    policy = Policy.parse(text)
    assert (policy.kind, policy.polls) == (kind, polls)


@pytest.mark.parametrize("text", ["", "fast", "per-poll(0)", "per-poll(x)"])
def test_policy_parse_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        Policy.parse(text)


def test_durations_override_defaults() -> None:
    policy = Policy.parse("timed", {"build": "2m"})
    assert policy.duration("build") == 120
    assert policy.duration("start") == DEFAULT_DURATIONS["start"]


def test_timed_steps_follow_the_scheduler() -> None:
    scheduler = Scheduler()
    progression = Progression(scheduler)
    counter = Counter()
    policy = Policy.parse("timed", {"build": 10})
    progression.rearm("r", counter, policy, 0)
    scheduler.run_until(25 * NS_PER_SECOND)
    assert counter.value == 2
    assert counter.applied_at == [10 * NS_PER_SECOND, 20 * NS_PER_SECOND]
    scheduler.run_until(100 * NS_PER_SECOND)
    assert counter.value == 3
    assert progression.pending("r") is None


def test_instant_lands_on_the_resting_state_at_once() -> None:
    progression = Progression(Scheduler())
    counter = Counter()
    progression.rearm("r", counter, Policy.parse("instant"), 5)
    assert counter.value == 3
    assert counter.applied_at == [5, 5, 5]


def test_per_poll_steps_every_n_reads() -> None:
    progression = Progression(Scheduler())
    counter = Counter()
    progression.rearm("r", counter, Policy.parse("per-poll(2)"), 0)
    progression.on_read("r", 1)
    assert counter.value == 0
    progression.on_read("r", 2)
    assert counter.value == 1
    for at in range(3, 10):
        progression.on_read("r", at)
    assert counter.value == 3


def test_rearm_supersedes_a_pending_timed_step() -> None:
    scheduler = Scheduler()
    progression = Progression(scheduler)
    counter = Counter()
    policy = Policy.parse("timed", {"build": 10})
    progression.rearm("r", counter, policy, 0)
    progression.rearm("r", counter, policy, 5 * NS_PER_SECOND)
    scheduler.run_until(12 * NS_PER_SECOND)
    assert counter.value == 0  # the step armed at 0 was cancelled
    scheduler.run_until(15 * NS_PER_SECOND)
    assert counter.value == 1


def test_explicit_step_seconds_win_over_policy() -> None:
    @dataclass
    class Once:
        done: bool = False

        def next_step(self) -> Step | None:
            return None if self.done else Step("finish", "run", seconds=3)

        def apply(self, step: Step, at_ns: int) -> None:
            self.done = True

    scheduler = Scheduler()
    progression = Progression(scheduler)
    once = Once()
    progression.rearm("r", once, Policy.parse("timed"), 0)
    scheduler.run_until(3 * NS_PER_SECOND)
    assert once.done
