"""The billing meter: what paid hardware has cost, per Space and per Job.

Services tell the meter when a resource starts and stops *holding* hardware: a Space while an
app serves on ``hardware.current`` (RUNNING, and RUNNING_BUILDING / RUNNING_APP_STARTING, where
the old app keeps serving); a Job while RUNNING. Building, starting, sleeping, paused, failed
and deleted Spaces hold nothing, nor do scheduling or finished Jobs. Cost is the flavor's
per-minute unit price, prorated to the nanosecond of virtual time.

:func:`report` turns the meter into a frozen :class:`BillingReport` (``hub.billing()``,
``GET /_fakehub/billing``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.catalogue import Flavor

_NS_PER_MINUTE = 60 * NS_PER_SECOND


@dataclass(frozen=True, slots=True)
class Charge:
    """One closed or open period of holding a flavor."""

    resource: str  # "space:ns/name" or "job:<id>"
    flavor: str
    unit_cost_micro_usd: int  # per minute
    start_ns: int
    end_ns: int | None = None

    def cost_micro_usd(self, now_ns: int) -> int:
        end = self.end_ns if self.end_ns is not None else now_ns
        return (max(0, end - self.start_ns) * self.unit_cost_micro_usd) // _NS_PER_MINUTE


@dataclass
class BillingMeter:
    _closed: list[Charge] = field(default_factory=list)
    _open: dict[str, Charge] = field(default_factory=dict)
    #: the cost of every closed period, summed as they close (a total without a full walk)
    _closed_micro_usd: int = 0

    def hold(self, resource: str, flavor: Flavor, at_ns: int) -> None:
        """``resource`` holds ``flavor`` from ``at_ns`` (closing what it held before)."""
        current = self._open.get(resource)
        if current is not None and current.flavor == flavor.name:
            return
        self.release(resource, at_ns)
        self._open[resource] = Charge(resource, flavor.name, flavor.unit_cost_micro_usd, at_ns)

    def release(self, resource: str, at_ns: int) -> None:
        current = self._open.pop(resource, None)
        # A period of no time (several steps at one instant, under the instant policy) cost
        # nothing and is no history worth reporting.
        if current is not None and at_ns > current.start_ns:
            closed = Charge(
                current.resource,
                current.flavor,
                current.unit_cost_micro_usd,
                current.start_ns,
                at_ns,
            )
            self._closed.append(closed)
            self._closed_micro_usd += closed.cost_micro_usd(at_ns)

    def rename(self, old: str, new: str) -> None:
        """A resource changed name (a moved Space): its history follows it."""
        self._closed = [replace(c, resource=new) if c.resource == old else c for c in self._closed]
        current = self._open.pop(old, None)
        if current is not None:
            self._open[new] = replace(current, resource=new)

    def charges(self) -> list[Charge]:
        return [*self._closed, *self._open.values()]

    def running_paid(self) -> list[Charge]:
        """Open periods on paid hardware: what a test should not leave behind."""
        return [c for c in self._open.values() if c.unit_cost_micro_usd > 0]

    def total_micro_usd(self, now_ns: int, resource: str | None = None) -> int:
        if resource is None:
            return self._closed_micro_usd + sum(
                c.cost_micro_usd(now_ns) for c in self._open.values()
            )
        return sum(
            c.cost_micro_usd(now_ns)
            for c in self.charges()
            if resource is None or c.resource == resource
        )

    def by_resource(self, now_ns: int) -> dict[str, int]:
        totals: dict[str, int] = {}
        for charge in self.charges():
            totals[charge.resource] = totals.get(charge.resource, 0) + charge.cost_micro_usd(now_ns)
        return totals


# -- reports ------------------------------------------------------------------------------------


def _micro_to_usd(micro: int) -> float:
    return micro / 1_000_000


@dataclass(frozen=True)
class BilledPeriod:
    """One period of one resource holding one flavor, costed as of the report's time."""

    kind: str  # "space" | "job"
    id: str  # "namespace/name" for a Space, the job id for a Job
    flavor: str
    unit_cost_micro_usd: int  # per minute
    start_ns: int
    end_ns: int | None  # None: still held
    cost_micro_usd: int

    @property
    def resource(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def open(self) -> bool:
        return self.end_ns is None

    @property
    def cost_usd(self) -> float:
        return _micro_to_usd(self.cost_micro_usd)


@dataclass(frozen=True)
class ResourceBill:
    kind: str
    id: str
    periods: tuple[BilledPeriod, ...]

    @property
    def resource(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def cost_micro_usd(self) -> int:
        return sum(p.cost_micro_usd for p in self.periods)

    @property
    def cost_usd(self) -> float:
        return _micro_to_usd(self.cost_micro_usd)


@dataclass(frozen=True)
class BillingReport:
    """What everything has cost up to ``at_ns`` (frozen: it does not move with the clock)."""

    at_ns: int
    resources: tuple[ResourceBill, ...]
    #: open periods on paid hardware: what a test should not leave behind
    running_paid: tuple[BilledPeriod, ...]

    @property
    def total_micro_usd(self) -> int:
        return sum(r.cost_micro_usd for r in self.resources)

    @property
    def total_usd(self) -> float:
        return _micro_to_usd(self.total_micro_usd)

    def cost_micro_usd(self, resource: str) -> int:
        """Cost of ``"space:ns/name"`` or ``"job:<id>"`` (0 if it never held hardware)."""
        return sum(r.cost_micro_usd for r in self.resources if r.resource == resource)


def _period(charge: Charge, now_ns: int) -> BilledPeriod:
    kind, _, ident = charge.resource.partition(":")
    return BilledPeriod(
        kind=kind,
        id=ident,
        flavor=charge.flavor,
        unit_cost_micro_usd=charge.unit_cost_micro_usd,
        start_ns=charge.start_ns,
        end_ns=charge.end_ns,
        cost_micro_usd=charge.cost_micro_usd(now_ns),
    )


def report(meter: BillingMeter, now_ns: int) -> BillingReport:
    """Resources in order of their first period; each one's periods in time order."""
    periods = sorted(
        (_period(c, now_ns) for c in meter.charges()), key=lambda p: (p.start_ns, p.end_ns is None)
    )
    grouped: dict[str, list[BilledPeriod]] = {}
    for period in periods:
        grouped.setdefault(period.resource, []).append(period)
    resources = tuple(
        ResourceBill(group[0].kind, group[0].id, tuple(group)) for group in grouped.values()
    )
    running = tuple(_period(c, now_ns) for c in meter.running_paid())
    return BillingReport(now_ns, resources, running)
