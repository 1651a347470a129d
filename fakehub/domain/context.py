"""What every service of the hub shares: the clock, the scheduler, ids, accounts and policies.

Services (Spaces, Jobs, ...) receive one :class:`HubContext` and never reach for globals.
Every public operation of a service runs inside :func:`operation`, which takes the hub's lock and
first applies every scheduled event that is due, so operations always see the present.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from fakehub.clock import VirtualClock
from fakehub.domain.accounts import Accounts
from fakehub.domain.billing import BillingMeter
from fakehub.domain.outages.book import OutageBook
from fakehub.ids import IdFactory
from fakehub.machines.policy import Policy
from fakehub.machines.progression import Progression
from fakehub.scheduler import Scheduler


@dataclass
class Policies:
    space: Policy = field(default_factory=Policy)
    job: Policy = field(default_factory=Policy)


@dataclass
class HubContext:
    clock: VirtualClock
    scheduler: Scheduler
    ids: IdFactory
    accounts: Accounts
    progression: Progression
    policies: Policies
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: what paid hardware has cost (fresh on every reset, as the context is)
    billing: BillingMeter = field(default_factory=BillingMeter)
    #: flavor capacity outages and the resources waiting for them
    outages: OutageBook = field(default_factory=OutageBook)

    @contextmanager
    def transaction(self) -> Iterator[int]:
        """Hold the lock with every due event applied; yields the virtual now (ns)."""
        with self.lock:
            yield self.catch_up()

    def catch_up(self) -> int:
        """Apply every due event, each with the clock pinned to its own due time."""
        now = self.clock.now()
        self.scheduler.run_until(now, around=self.clock.pinned)
        return now


class HasContext(Protocol):
    ctx: HubContext


S = TypeVar("S", bound=HasContext)
P = ParamSpec("P")
R = TypeVar("R")


def operation(fn: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run a service method as one hub operation (locked, clock caught up)."""

    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        # ``transaction()`` spelled out: every request runs one, and a generator-based
        # context manager costs more than the lock and the catch-up together
        ctx = self.ctx
        with ctx.lock:
            ctx.catch_up()
            return fn(self, *args, **kwargs)

    functools.update_wrapper(wrapper, fn)
    return wrapper
