"""Flavor capacity outages: "this flavor is unavailable for 10 minutes".

An :class:`Outage` makes a flavor unavailable to Spaces, Jobs or both over ``[start, end)``.
Resources that need the flavor meanwhile do not fail: they *wait* (a Space in its building or
starting stage, a Job in SCHEDULING) and resume at the outage's end. The book keeps one wake-up
event per waiting resource, so it can resume them all at once when the outages are cleared.

Pure state, no lock: the services use it inside hub operations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from fakehub.scheduler import EventHandle, Scheduler

OutageKind = Literal["space", "job", "both"]
OUTAGE_KINDS: tuple[str, ...] = ("space", "job", "both")


@dataclass(frozen=True)
class Outage:
    flavor: str
    start_ns: int
    end_ns: int
    kind: OutageKind = "both"

    def blocks(self, flavor: str, kind: Literal["space", "job"], at_ns: int) -> bool:
        return (
            self.flavor == flavor
            and self.kind in (kind, "both")
            and self.start_ns <= at_ns < self.end_ns
        )

    def active(self, at_ns: int) -> bool:
        return self.start_ns <= at_ns < self.end_ns


@dataclass
class _Waiter:
    handle: EventHandle
    resume: Callable[[int], None]


@dataclass
class OutageBook:
    outages: list[Outage] = field(default_factory=list)
    #: resource key -> its pending wake-up at the end of the outage it waits for
    _waiters: dict[str, _Waiter] = field(default_factory=dict)

    def blocking(self, flavor: str, kind: Literal["space", "job"], at_ns: int) -> Outage | None:
        """The outage that keeps ``flavor`` unavailable at ``at_ns`` (the one ending last)."""
        found = [o for o in self.outages if o.blocks(flavor, kind, at_ns)]
        return max(found, key=lambda o: o.end_ns) if found else None

    def wait(
        self,
        key: str,
        outage: Outage,
        resume: Callable[[int], None],
        scheduler: Scheduler,
    ) -> bool:
        """``key`` waits for ``outage`` to end, then ``resume(end)`` runs.

        Returns ``False`` if it was already waiting for that same end (nothing new to say).
        """
        current = self._waiters.get(key)
        if current is not None and not current.handle.cancelled:
            if current.handle.due_ns == outage.end_ns:
                return False
            current.handle.cancel()

        def wake(at_ns: int) -> None:
            if self._waiters.get(key) is waiter:
                del self._waiters[key]
            resume(at_ns)

        handle = scheduler.schedule(outage.end_ns, wake, label=f"{key}:capacity")
        waiter = _Waiter(handle, resume)
        self._waiters[key] = waiter
        return True

    def is_waiting(self, key: str) -> bool:
        return key in self._waiters

    def stop_waiting(self, key: str) -> None:
        waiter = self._waiters.pop(key, None)
        if waiter is not None:
            waiter.handle.cancel()

    def clear(self, now_ns: int) -> int:
        """Forget every outage; whoever was waiting resumes at ``now_ns``. Returns how many."""
        count = len(self.outages)
        self.outages.clear()
        waiters, self._waiters = self._waiters, {}
        for waiter in waiters.values():
            waiter.handle.cancel()
            waiter.resume(now_ns)
        return count
