"""A heap of due events, applied in virtual-time order.

Nothing in fakehub moves on a thread of its own. Every operation first calls
:meth:`Scheduler.run_until` with the current virtual time; events due by then are applied in
time order (ties broken by insertion order), each one seeing the clock reading of its own due
time. State is therefore a pure function of (initial state, operations, clock), and advancing by
``a + b`` is the same as advancing by ``a`` then ``b``.

An event may schedule further events; those run in the same call if they are due too.
Cancellation is by token: the owner of an event keeps the :class:`EventHandle` and cancels it
(e.g. a restart cancels the pending "build finished" step).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field


@dataclass
class EventHandle:
    due_ns: int
    label: str
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass(order=True)
class _Entry:
    due_ns: int
    seq: int
    handle: EventHandle = field(compare=False)
    action: Callable[[int], None] = field(compare=False)


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._seq = itertools.count()
        self._running_at: int | None = None

    def schedule(self, due_ns: int, action: Callable[[int], None], label: str = "") -> EventHandle:
        """Run ``action(due_ns)`` once the virtual clock reaches ``due_ns``."""
        handle = EventHandle(due_ns=due_ns, label=label)
        heapq.heappush(self._heap, _Entry(due_ns, next(self._seq), handle, action))
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
        while self._heap and self._heap[0].due_ns <= now_ns:
            entry = heapq.heappop(self._heap)
            if entry.handle.cancelled:
                continue
            entry.handle.cancelled = True  # an applied event can no longer be cancelled
            with around(entry.due_ns):
                entry.action(entry.due_ns)
            ran += 1
        return ran

    def next_due(self) -> int | None:
        while self._heap and self._heap[0].handle.cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due_ns if self._heap else None

    def pending(self) -> list[EventHandle]:
        return [e.handle for e in sorted(self._heap) if not e.handle.cancelled]

    def clear(self) -> None:
        self._heap.clear()
