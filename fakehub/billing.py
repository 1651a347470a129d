"""The billing meter: what paid hardware has cost, per Space and per Job.

Services tell the meter when a resource starts and stops *holding* hardware (a Space running or
starting on an upgraded flavor; a Job running). Sleeping and paused Spaces hold nothing. Cost is
the flavor's per-minute unit price, prorated to the nanosecond of virtual time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.catalogue import Flavor

_NS_PER_MINUTE = 60 * NS_PER_SECOND


@dataclass(frozen=True)
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

    def hold(self, resource: str, flavor: Flavor, at_ns: int) -> None:
        """``resource`` holds ``flavor`` from ``at_ns`` (closing what it held before)."""
        current = self._open.get(resource)
        if current is not None and current.flavor == flavor.name:
            return
        self.release(resource, at_ns)
        self._open[resource] = Charge(resource, flavor.name, flavor.unit_cost_micro_usd, at_ns)

    def release(self, resource: str, at_ns: int) -> None:
        current = self._open.pop(resource, None)
        if current is not None:
            self._closed.append(
                Charge(
                    current.resource,
                    current.flavor,
                    current.unit_cost_micro_usd,
                    current.start_ns,
                    max(at_ns, current.start_ns),
                )
            )

    def charges(self) -> list[Charge]:
        return [*self._closed, *self._open.values()]

    def running_paid(self) -> list[Charge]:
        """Open periods on paid hardware: what a test should not leave behind."""
        return [c for c in self._open.values() if c.unit_cost_micro_usd > 0]

    def total_micro_usd(self, now_ns: int, resource: str | None = None) -> int:
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
