"""Applies automatic steps of resources according to their policy.

A resource plugs in as a :class:`Stepper`: it says what its next automatic step is (if any) and
how to apply it. :class:`Progression` decides *when*: on a scheduler event (timed), on the n-th
read (per-poll) or straight away (instant). After each applied step the next one is armed, so a
resource walks its whole path without further calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fakehub.clock import NS_PER_SECOND
from fakehub.machines.policy import Policy
from fakehub.scheduler import EventHandle, Scheduler

#: Safety net for instant mode: a machine that never rests is a bug, not a hang.
_MAX_INSTANT_STEPS = 1000


@dataclass(frozen=True)
class Step:
    """The next automatic transition: its name (for logs) and which duration it takes."""

    name: str
    duration_key: str
    #: an explicit duration (seconds) overriding the policy's, e.g. a scripted job runtime
    seconds: float | None = None


class Stepper(Protocol):
    def next_step(self) -> Step | None: ...

    def apply(self, step: Step, at_ns: int) -> None: ...


@dataclass(slots=True)
class _Armed:
    stepper: Stepper
    step: Step
    policy: Policy
    handle: EventHandle | None = None
    reads: int = 0


class Progression:
    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler
        self._armed: dict[str, _Armed] = {}

    def rearm(self, key: str, stepper: Stepper, policy: Policy, now_ns: int) -> None:
        """Forget any pending step of ``key`` and arm the stepper's next one.

        Call after every change to the resource made outside progression (a restart, a
        hardware request, a cancel).
        """
        self.disarm(key)
        for _ in range(_MAX_INSTANT_STEPS):
            step = stepper.next_step()
            if step is None:
                return
            if policy.kind != "instant":
                self._arm(key, stepper, step, policy, now_ns)
                return
            stepper.apply(step, now_ns)
        raise RuntimeError(f"{key}: instant progression did not come to rest")

    def disarm(self, key: str) -> None:
        armed = self._armed.pop(key, None)
        if armed and armed.handle:
            armed.handle.cancel()

    def on_read(self, key: str, now_ns: int) -> None:
        """Count one read of ``key``; under per-poll(n) every n-th read takes a step."""
        armed = self._armed.get(key)
        if armed is None or armed.policy.kind != "per-poll":
            return
        armed.reads += 1
        if armed.reads >= armed.policy.polls:
            self._fire(key, armed, now_ns)

    def pending(self, key: str) -> Step | None:
        armed = self._armed.get(key)
        return armed.step if armed else None

    def clear(self) -> None:
        for armed in self._armed.values():
            if armed.handle:
                armed.handle.cancel()
        self._armed.clear()

    def _arm(self, key: str, stepper: Stepper, step: Step, policy: Policy, now_ns: int) -> None:
        armed = _Armed(stepper=stepper, step=step, policy=policy)
        self._armed[key] = armed
        if policy.kind == "timed":
            seconds = (
                step.seconds if step.seconds is not None else policy.duration(step.duration_key)
            )
            due = now_ns + round(seconds * NS_PER_SECOND)
            armed.handle = self._scheduler.schedule(
                due, lambda at: self._fire(key, armed, at), label=f"{key}:{step.name}"
            )

    def _fire(self, key: str, armed: _Armed, at_ns: int) -> None:
        if self._armed.get(key) is not armed:
            return  # superseded by a rearm
        del self._armed[key]
        armed.stepper.apply(armed.step, at_ns)
        self.rearm(key, armed.stepper, armed.policy, at_ns)
