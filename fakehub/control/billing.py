"""``GET /_fakehub/billing``: what paid hardware has cost, per Space and per Job.

A Space is billed for ``hardware.current`` while an app serves on it (RUNNING, and while a
rebuild runs next to the serving app); a Job for its flavor while RUNNING. Amounts are integer
micro-USD (the catalogue's per-minute unit price, prorated to the nanosecond) and, for reading,
USD. ``runningPaid`` lists what still holds paid hardware: a test should end with it empty.
Every instant also comes in exact nanoseconds (``nowNs``, ``startNs``, ...), so
:func:`report_from_json` gives a remote caller the very :class:`BillingReport` the hub has.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.billing import BilledPeriod, BillingReport, ResourceBill
from fakehub.timefmt import iso


class PeriodOut(BaseModel):
    flavor: str
    unitCostMicroUsd: int
    start: str
    startNs: int
    end: str | None
    endNs: int | None
    costMicroUsd: int
    costUsd: float


class ResourceOut(BaseModel):
    kind: Literal["space", "job"]
    #: ``namespace/name`` of a Space, the id of a Job
    id: str
    costMicroUsd: int
    costUsd: float
    periods: list[PeriodOut]


class RunningPaidOut(BaseModel):
    kind: Literal["space", "job"]
    id: str
    flavor: str
    unitCostMicroUsd: int
    since: str
    sinceNs: int
    costMicroUsd: int


class BillingOut(BaseModel):
    now: str
    nowNs: int
    totalMicroUsd: int
    totalUsd: float
    resources: list[ResourceOut]
    runningPaid: list[RunningPaidOut]


def _period(period: BilledPeriod) -> dict[str, object]:
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


def billing_json(report: BillingReport) -> dict[str, object]:
    return {
        "now": iso(report.at_ns),
        "nowNs": report.at_ns,
        "totalMicroUsd": report.total_micro_usd,
        "totalUsd": report.total_usd,
        "resources": [
            {
                "kind": bill.kind,
                "id": bill.id,
                "costMicroUsd": bill.cost_micro_usd,
                "costUsd": bill.cost_usd,
                "periods": [_period(p) for p in bill.periods],
            }
            for bill in report.resources
        ],
        "runningPaid": [
            {
                "kind": p.kind,
                "id": p.id,
                "flavor": p.flavor,
                "unitCostMicroUsd": p.unit_cost_micro_usd,
                "since": iso(p.start_ns),
                "sinceNs": p.start_ns,
                "costMicroUsd": p.cost_micro_usd,
            }
            for p in report.running_paid
        ],
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


@control_doc(
    "What paid hardware has cost so far, per Space and Job, and what is still running on it",
    response=BillingOut,
    description=(
        "Spaces are billed for hardware.current while an app serves on it (RUNNING, "
        "RUNNING_BUILDING, RUNNING_APP_STARTING), never while building, starting, sleeping, "
        "paused, failed or deleted; Jobs while RUNNING. Amounts in micro-USD (and USD)."
    ),
)
async def get_billing(request: Request) -> Response:
    return JSONResponse(billing_json(hub_of(request).billing()))


routes = [Route("/_fakehub/billing", get_billing, methods=["GET"])]
