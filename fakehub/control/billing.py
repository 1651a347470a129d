"""``GET /_fakehub/billing``: what paid hardware has cost, per Space and per Job.

A Space is billed for ``hardware.current`` while an app serves on it (RUNNING, and while a
rebuild runs next to the serving app); a Job for its flavor while RUNNING. Amounts are integer
micro-USD (the catalogue's per-minute unit price, prorated to the nanosecond) and, for reading,
USD. ``runningPaid`` lists what still holds paid hardware: a test should end with it empty.
Every instant also comes in exact nanoseconds (``nowNs``, ``startNs``, ...), so
``fakehub.wire.control.billing.report_from_json`` gives a remote caller the very
``BillingReport`` the hub has.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of
from fakehub.control.docs import control_doc
from fakehub.wire.control.billing import billing_json


@control_doc(
    "What paid hardware has cost so far, per Space and Job, and what is still running on it",
    response=billing_json,
    description=(
        "Spaces are billed for hardware.current while an app serves on it (RUNNING, "
        "RUNNING_BUILDING, RUNNING_APP_STARTING), never while building, starting, sleeping, "
        "paused, failed or deleted; Jobs while RUNNING. Amounts in micro-USD (and USD)."
    ),
)
async def get_billing(request: Request) -> Response:
    return JSONResponse(billing_json(hub_of(request).billing()))


routes = [Route("/_fakehub/billing", get_billing, methods=["GET"])]
