"""The ordered list of fault rules a hub holds, and the decision "does a fault apply here".

Rules are tried in the order they were added; the **first rule that applies** wins. A rule
whose method, route, namespace and resource match may still let a request through: while it
is skipping its first ``skip`` matches, while a ``burst`` window still has room, or when its
seeded ``probability`` draw says no. Then the next rules are tried.

Probability draws come from a ``random.Random`` seeded from the hub's seed (and reset with
the hub), and are taken only for requests that reach that rule's draw, so a run replays
exactly for the same sequence of requests.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from fakehub.clock import NS_PER_SECOND
from fakehub.faults.rules import FaultRule, compile_route

#: Mixed into the hub seed so fault draws are a stream of their own (ids never shift).
_SEED_SALT = 0xFA017


@dataclass(frozen=True)
class RequestInfo:
    """What rules match on: the request, and what routing says it is about."""

    method: str
    path: str
    #: the ``namespace`` path parameter of the route that serves the path, if any
    namespace: str | None = None
    #: the repo id (``namespace/name``) and any ``*id`` path parameter (job ids)
    resources: frozenset[str] = frozenset()


@dataclass
class Fault:
    """A rule in the book, with its counters."""

    id: str
    rule: FaultRule
    #: requests that matched method/route/namespace/resource
    matched: int = 0
    #: times the fault was applied
    applied: int = 0
    window: deque[int] = field(default_factory=deque, repr=False)

    def __post_init__(self) -> None:
        self._route = compile_route(self.rule.route)

    @property
    def remaining(self) -> int | None:
        return None if self.rule.count is None else max(0, self.rule.count - self.applied)

    @property
    def active(self) -> bool:
        return self.remaining != 0

    def matches(self, info: RequestInfo) -> bool:
        rule = self.rule
        if rule.method != "*" and rule.method != info.method.upper():
            return False
        if not self._route.match(info.path):
            return False
        if rule.namespace is not None and rule.namespace != info.namespace:
            return False
        return rule.resource is None or rule.resource in info.resources


@dataclass(frozen=True)
class Hit:
    """A fault that applies to one request."""

    fault: Fault
    #: seconds until a burst window has room again (drives ``Retry-After``), if a burst rule
    retry_after: int | None = None


class FaultBook:
    def __init__(self, seed: int = 0, real_ns: Callable[[], int] = time.monotonic_ns) -> None:
        self._rng = random.Random(seed ^ _SEED_SALT)
        self._real_ns = real_ns
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> Fault:
        with self._lock:
            fault = Fault(id=f"fault-{next(self._ids)}", rule=rule)
            self._faults.append(fault)
            return fault

    def __bool__(self) -> bool:
        """Whether any rule is in the book (read without the lock: a list's length is atomic)."""
        return bool(self._faults)

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def get(self, fault_id: str) -> Fault | None:
        with self._lock:
            return next((f for f in self._faults if f.id == fault_id), None)

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) < before

    def clear(self) -> int:
        with self._lock:
            count = len(self._faults)
            self._faults.clear()
            return count

    def match(self, info: RequestInfo, virtual_ns: int) -> Hit | None:
        """The first fault that applies to this request (its counters updated), or ``None``."""
        with self._lock:
            for fault in self._faults:
                if not fault.active or not fault.matches(info):
                    continue
                fault.matched += 1
                hit = self._decide(fault, virtual_ns)
                if hit is not None:
                    fault.applied += 1
                    return hit
            return None

    def _decide(self, fault: Fault, virtual_ns: int) -> Hit | None:
        rule = fault.rule
        if fault.matched <= rule.skip:
            return None
        retry_after = None
        if rule.burst is not None:
            retry_after = self._burst(fault, virtual_ns)
            if retry_after is None:
                return None  # the window had room: this request counts and goes through
        if rule.probability is not None and self._rng.random() >= rule.probability:
            return None
        return Hit(fault=fault, retry_after=retry_after)

    def _burst(self, fault: Fault, virtual_ns: int) -> int | None:
        """``None`` if the window has room (the request is counted), else seconds to wait."""
        burst = fault.rule.burst
        assert burst is not None
        now = self._real_ns() if burst.clock == "real" else virtual_ns
        span = round(burst.window_seconds * NS_PER_SECOND)
        window = fault.window
        while window and window[0] <= now - span:
            window.popleft()
        if len(window) < burst.requests:
            window.append(now)
            return None
        if not window:  # requests=0: always limited, a full window to wait
            return math.ceil(burst.window_seconds)
        return max(1, math.ceil((window[0] + span - now) / NS_PER_SECOND))
