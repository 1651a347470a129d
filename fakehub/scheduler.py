"""A heap of due events, applied in virtual-time order.

Nothing in fakehub moves on a thread of its own. Every operation first calls
:meth:`Scheduler.run_until` with the current virtual time; events due by then are applied in
time order (ties broken by insertion order), each one seeing the clock reading of its own due
time. State is therefore a pure function of (initial state, operations, clock), and advancing by
``a + b`` is the same as advancing by ``a`` then ``b``.

An event may schedule further events; those run in the same call if they are due too.
Cancellation is by token: the owner of an event keeps the :class:`EventHandle` and cancels it
(e.g. a restart cancels the pending "build finished" step). Cancelled entries leave the heap
lazily, and all at once when they outnumber the live ones, so a hub that keeps rescheduling
(restarts, per-poll steps) holds only about twice its pending events.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from fakehub.derived import DERIVED

#: Below this many cancelled entries the heap is never compacted (not worth a rebuild).
_COMPACT_MIN = 64
#: Events applied in one catch-up after which the cycle collector pauses until its end.
_PAUSE_COLLECTOR_AFTER = 500


@dataclass(slots=True)
class EventHandle:
    due_ns: int
    label: str
    cancelled: bool = False
    #: the scheduler whose heap still holds the event (None once applied or cancelled)
    owner: Scheduler | None = field(default=None, repr=False, compare=False, metadata=DERIVED)

    def cancel(self) -> None:
        if self.cancelled:
            return
        self.cancelled = True
        owner, self.owner = self.owner, None
        if owner is not None:
            owner.cancelled_one()


#: (due time, insertion number, handle, action): a plain tuple, so the heap compares in C; the
#: insertion number is unique, so comparison never reaches the handle.
_Entry = tuple[int, int, EventHandle, Callable[[int], None]]


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._seq = itertools.count()
        self._running_at: int | None = None
        #: cancelled entries still in the heap
        self._cancelled = 0

    def schedule(self, due_ns: int, action: Callable[[int], None], label: str = "") -> EventHandle:
        """Run ``action(due_ns)`` once the virtual clock reaches ``due_ns``."""
        handle = EventHandle(due_ns=due_ns, label=label, owner=self)
        heapq.heappush(self._heap, (due_ns, next(self._seq), handle, action))
        return handle

    def run_until(
        self,
        now_ns: int,
        around: Callable[[int], AbstractContextManager[object]] = nullcontext,
    ) -> int:
        """Apply every event due at or before ``now_ns``; returns how many ran.

        ``around(due_ns)`` wraps each action (the hub pins its clock to the due time there).
        """
        ran = 0
        paused = False
        try:
            while self._heap and self._heap[0][0] <= now_ns:
                due_ns, _, handle, action = heapq.heappop(self._heap)
                if handle.cancelled:
                    self._cancelled -= 1
                    continue
                handle.owner = None
                handle.cancelled = True  # an applied event can no longer be cancelled
                with around(due_ns):
                    action(due_ns)
                ran += 1
                if ran == _PAUSE_COLLECTOR_AFTER and gc.isenabled():
                    # a long catch-up (a month of cron runs) builds records, no cycles: the
                    # collector's passes over the growing heap cost a quarter of it
                    gc.disable()
                    paused = True
        finally:
            if paused:
                _resume_collector()
        return ran

    def next_due(self) -> int | None:
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
            self._cancelled -= 1
        return self._heap[0][0] if self._heap else None

    def pending(self) -> list[EventHandle]:
        return [entry[2] for entry in sorted(self._heap) if not entry[2].cancelled]

    def cancelled_one(self) -> None:
        """An event of this heap was cancelled: compact once they outnumber the live ones."""
        self._cancelled += 1
        if self._cancelled >= _COMPACT_MIN and 2 * self._cancelled > len(self._heap):
            self._heap = [entry for entry in self._heap if not entry[2].cancelled]
            heapq.heapify(self._heap)
            self._cancelled = 0

    def __len__(self) -> int:
        """Entries in the heap, cancelled ones not yet dropped included."""
        return len(self._heap)

    def clear(self) -> None:
        for entry in self._heap:
            entry[2].owner = None
        self._heap.clear()
        self._cancelled = 0


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pauses the cycle collector around work that builds or walks millions of objects and no
    cycle (the state dump, a state file's snapshot): without a pause, the collector re-scans
    the whole (growing) heap again and again, which made a dump of 100k jobs take quadratic
    time. Pausing it is process-wide, so it is switched back on after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _resume_collector()


def _resume_collector() -> None:
    """Switch the cycle collector back on after a pause.

    Switched on as it was, its first pass would scan every container built meanwhile (a
    million for a 100k-job dump: as long as the dump itself), since they all count as new.
    They are records the hub keeps or outputs the caller frees by reference counting:
    ``freeze`` then ``unfreeze`` moves every tracked object to the oldest generation unscanned
    and resets the count; the next full collection (no sooner than it would have come) sees
    them. A process that keeps its long-lived objects frozen (``fakehub serve --state``, see
    :func:`fakehub.store.background.freeze_long_lived`) keeps them so: there the new ones are
    frozen too, never unfrozen.
    """
    already_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    if not already_frozen:
        gc.unfreeze()
    gc.enable()
