"""What paid hardware has cost (``/_fakehub/billing``), both ways: a :class:`BillingReport` to
JSON for the route, and the route's JSON back to the very report for ``ControlClient``."""

from __future__ import annotations

from typing import Any, Literal

from typing_extensions import TypedDict

from fakehub.domain.billing import BilledPeriod, BillingReport, ResourceBill
from fakehub.timefmt import iso

Kind = Literal["space", "job"]


class PeriodOut(TypedDict):
    flavor: str
    unitCostMicroUsd: int
    start: str
    startNs: int
    end: str | None
    endNs: int | None
    costMicroUsd: int
    costUsd: float


class ResourceOut(TypedDict):
    kind: Kind
    #: ``namespace/name`` of a Space, the id of a Job
    id: str
    costMicroUsd: int
    costUsd: float
    periods: list[PeriodOut]


class RunningPaidOut(TypedDict):
    kind: Kind
    id: str
    flavor: str
    unitCostMicroUsd: int
    since: str
    sinceNs: int
    costMicroUsd: int


class BillingOut(TypedDict):
    now: str
    nowNs: int
    totalMicroUsd: int
    totalUsd: float
    resources: list[ResourceOut]
    runningPaid: list[RunningPaidOut]


def _period(period: BilledPeriod) -> PeriodOut:
    return {
        "flavor": period.flavor,
        "unitCostMicroUsd": period.unit_cost_micro_usd,
        "start": iso(period.start_ns),
        "startNs": period.start_ns,
        "end": None if period.end_ns is None else iso(period.end_ns),
        "endNs": period.end_ns,
        "costMicroUsd": period.cost_micro_usd,
        "costUsd": period.cost_usd,
    }


def _resource(bill: ResourceBill) -> ResourceOut:
    return {
        "kind": bill.kind,  # type: ignore[typeddict-item]  # "space" or "job" by construction
        "id": bill.id,
        "costMicroUsd": bill.cost_micro_usd,
        "costUsd": bill.cost_usd,
        "periods": [_period(p) for p in bill.periods],
    }


def _running(period: BilledPeriod) -> RunningPaidOut:
    return {
        "kind": period.kind,  # type: ignore[typeddict-item]  # "space" or "job" by construction
        "id": period.id,
        "flavor": period.flavor,
        "unitCostMicroUsd": period.unit_cost_micro_usd,
        "since": iso(period.start_ns),
        "sinceNs": period.start_ns,
        "costMicroUsd": period.cost_micro_usd,
    }


def billing_json(report: BillingReport) -> BillingOut:
    return {
        "now": iso(report.at_ns),
        "nowNs": report.at_ns,
        "totalMicroUsd": report.total_micro_usd,
        "totalUsd": report.total_usd,
        "resources": [_resource(bill) for bill in report.resources],
        "runningPaid": [_running(p) for p in report.running_paid],
    }


def _period_from_json(kind: str, ident: str, item: dict[str, Any]) -> BilledPeriod:
    return BilledPeriod(
        kind=kind,
        id=ident,
        flavor=item["flavor"],
        unit_cost_micro_usd=item["unitCostMicroUsd"],
        start_ns=item["startNs"] if "startNs" in item else item["sinceNs"],
        end_ns=item.get("endNs"),
        cost_micro_usd=item["costMicroUsd"],
    )


def report_from_json(body: dict[str, Any]) -> BillingReport:
    """The :class:`BillingReport` a ``GET /_fakehub/billing`` answer describes (exactly)."""
    resources = tuple(
        ResourceBill(
            r["kind"],
            r["id"],
            tuple(_period_from_json(r["kind"], r["id"], p) for p in r["periods"]),
        )
        for r in body["resources"]
    )
    running = tuple(_period_from_json(p["kind"], p["id"], p) for p in body["runningPaid"])
    return BillingReport(body["nowNs"], resources, running)
