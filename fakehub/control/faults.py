"""``/_fakehub/faults``: add, list, inspect and remove fault rules."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import body_model, hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.errors import NotFound
from fakehub.faults import FaultRule
from fakehub.wire.control.counts import deleted_json
from fakehub.wire.control.faults import fault_json, faults_json


@control_doc(
    "Add a fault rule (tried after the rules already there); answers with its id",
    body=FaultRule,
    response=fault_json,
    status=201,
)
async def add_fault(request: Request) -> Response:
    rule = await body_model(request, FaultRule)
    fault = hub_of(request).faults.add(rule)
    return JSONResponse(fault_json(fault), status_code=201)


@control_doc("List fault rules in matching order, with their counters", response=faults_json)
async def list_faults(request: Request) -> Response:
    return JSONResponse(faults_json(hub_of(request).faults.all()))


@control_doc("Remove every fault rule", response=deleted_json)
async def clear_faults(request: Request) -> Response:
    return JSONResponse(deleted_json(hub_of(request).faults.clear()))


def _fault_id(request: Request) -> str:
    return str(request.path_params["fault_id"])


@control_doc("One fault rule and its counters", response=fault_json, method="GET")
@control_doc("Remove one fault rule", response=deleted_json, method="DELETE")
async def one_fault(request: Request) -> Response:
    book = hub_of(request).faults
    fault_id = _fault_id(request)
    fault = book.get(fault_id)
    if fault is None:
        raise NotFound(f"No fault with id {fault_id!r}")
    if request.method == "DELETE":
        book.remove(fault_id)
        return JSONResponse(deleted_json(1))
    return JSONResponse(fault_json(fault))


routes = [
    Route("/_fakehub/faults", add_fault, methods=["POST"]),
    Route("/_fakehub/faults", list_faults, methods=["GET"]),
    Route("/_fakehub/faults", clear_faults, methods=["DELETE"]),
    Route("/_fakehub/faults/{fault_id}", one_fault, methods=["GET", "DELETE"]),
]
