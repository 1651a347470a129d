"""The virtual clock: the only source of "now" inside fakehub.

Time is an integer count of nanoseconds since the Unix epoch, as in time-machine, so that
arithmetic is exact and ordering never depends on float rounding. Two modes:

* ``manual``: time moves only when someone calls :meth:`VirtualClock.advance` or
  :meth:`VirtualClock.move_to` (tests, the control API).
* ``realtime``: time follows a real monotonic source scaled by ``speed`` (``speed=60`` makes one
  real second a virtual minute). Explicit advances still work and add to the offset.

The real time source is injected so the clock itself is testable without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Literal

NS_PER_SECOND = 1_000_000_000

ClockMode = Literal["manual", "realtime"]

#: Default virtual start: a fixed instant so that runs are reproducible.
DEFAULT_START_NS = 1_767_225_600 * NS_PER_SECOND  # 2026-01-01T00:00:00Z


@dataclass(frozen=True)
class ClockState:
    """A JSON-friendly snapshot of the clock (what ``GET /_fakehub/clock`` returns)."""

    now_ns: int
    mode: ClockMode
    speed: float


class VirtualClock:
    def __init__(
        self,
        start_ns: int = DEFAULT_START_NS,
        *,
        mode: ClockMode = "manual",
        speed: float = 1.0,
        real_ns: Callable[[], int] = time.monotonic_ns,
    ) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self._real_ns = real_ns
        self._mode: ClockMode = mode
        self._speed = speed
        self._anchor_virtual = start_ns
        self._anchor_real = real_ns()
        self._pinned: list[int] = []

    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> int:
        if self._pinned:
            return self._pinned[-1]
        if self._mode == "manual":
            return self._anchor_virtual
        elapsed = self._real_ns() - self._anchor_real
        return self._anchor_virtual + int(elapsed * self._speed)

    def advance(self, seconds: float) -> int:
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        return self.move_to(self.now() + round(seconds * NS_PER_SECOND))

    def move_to(self, target_ns: int) -> int:
        current = self.now()
        if target_ns < current:
            raise ValueError("the clock cannot go backwards")
        self._rebase(target_ns)
        return target_ns

    def set_mode(self, mode: ClockMode, speed: float | None = None) -> None:
        """Switch mode without a jump in virtual time."""
        if speed is not None and speed <= 0:
            raise ValueError("clock speed must be positive")
        now = self.now()
        self._mode = mode
        if speed is not None:
            self._speed = speed
        self._rebase(now)

    def pinned(self, at_ns: int) -> AbstractContextManager[int]:
        """Read ``at_ns`` as "now" while a scheduled event is applied.

        An event due at 10:05 that is applied during an advance to 11:00 must stamp 10:05 on
        whatever it does, including operations it calls; and only events due by 10:05 may run
        inside it.
        """
        return _Pinned(self._pinned, at_ns)

    @contextmanager
    def held(self) -> Iterator[int]:
        """Stop realtime from moving while one journaled request is applied (``serve --state``).

        Unlike :meth:`pinned`, an advance inside still moves the clock: the real source is
        frozen, not the reading. Yields the virtual now the request is applied at.
        """
        frozen = self._real_ns()
        source = self._real_ns
        self._real_ns = lambda: frozen
        try:
            yield self.now()
        finally:
            self._real_ns = source

    def resume(self, virtual_ns: int) -> None:
        """Read ``virtual_ns`` from now on (a restart replaying its journal, or continuing).

        The one way to set the clock without the "never backwards" check: a replay puts each
        journal entry back at the virtual time it was applied at.
        """
        self._rebase(virtual_ns)

    def state(self) -> ClockState:
        return ClockState(now_ns=self.now(), mode=self._mode, speed=self._speed)

    def _rebase(self, virtual_ns: int) -> None:
        self._anchor_virtual = virtual_ns
        self._anchor_real = self._real_ns()


class _Pinned:
    """``VirtualClock.pinned``: a plain class, not a generator, as it wraps every event."""

    __slots__ = ("_at", "_stack")

    def __init__(self, stack: list[int], at_ns: int) -> None:
        self._stack, self._at = stack, at_ns

    def __enter__(self) -> int:
        self._stack.append(self._at)
        return self._at

    def __exit__(self, *exc: object) -> None:
        self._stack.pop()
