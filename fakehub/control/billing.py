"""``GET /_fakehub/billing``: what paid hardware has cost, per Space and per Job.

A Space is billed for ``hardware.current`` while an app serves on it (RUNNING, and while a
rebuild runs next to the serving app); a Job for its flavor while RUNNING. Amounts are integer
micro-USD (the catalogue's per-minute unit price, prorated to the nanosecond) and, for reading,
USD. ``runningPaid`` lists what still holds paid hardware: a test should end with it empty.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.billing import BilledPeriod, BillingReport
from fakehub.timefmt import iso


class PeriodOut(BaseModel):
    flavor: str
    unitCostMicroUsd: int
    start: str
    end: str | None
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
    costMicroUsd: int


class BillingOut(BaseModel):
    now: str
    totalMicroUsd: int
    totalUsd: float
    resources: list[ResourceOut]
    runningPaid: list[RunningPaidOut]


def _period(period: BilledPeriod) -> dict[str, object]:
    return {
        "flavor": period.flavor,
        "unitCostMicroUsd": period.unit_cost_micro_usd,
        "start": iso(period.start_ns),
        "end": None if period.end_ns is None else iso(period.end_ns),
        "costMicroUsd": period.cost_micro_usd,
        "costUsd": period.cost_usd,
    }


def billing_json(report: BillingReport) -> dict[str, object]:
    return {
        "now": iso(report.at_ns),
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
                "costMicroUsd": p.cost_micro_usd,
            }
            for p in report.running_paid
        ],
    }


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
