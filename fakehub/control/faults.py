"""``/_fakehub/faults``: add, list, inspect and remove fault rules."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import body_model, hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.errors import NotFound
from fakehub.faults import FaultRule


class FaultOut(BaseModel):
    id: str
    #: the rule as given (camelCase keys, defaults left out)
    rule: dict[str, Any]
    matched: int
    applied: int
    remaining: int | None
    active: bool


class FaultList(BaseModel):
    faults: list[FaultOut]


class Deleted(BaseModel):
    deleted: int


@control_doc(
    "Add a fault rule (tried after the rules already there); answers with its id",
    body=FaultRule,
    response=FaultOut,
    status=201,
)
async def add_fault(request: Request) -> Response:
    rule = await body_model(request, FaultRule)
    fault = hub_of(request).faults.add(rule)
    return JSONResponse(fault.wire(), status_code=201)


@control_doc("List fault rules in matching order, with their counters", response=FaultList)
async def list_faults(request: Request) -> Response:
    return JSONResponse({"faults": hub_of(request).faults.wire()})


@control_doc("Remove every fault rule", response=Deleted)
async def clear_faults(request: Request) -> Response:
    return JSONResponse({"deleted": hub_of(request).faults.clear()})


def _fault_id(request: Request) -> str:
    return str(request.path_params["fault_id"])


@control_doc("One fault rule and its counters", response=FaultOut, method="GET")
@control_doc("Remove one fault rule", response=Deleted, method="DELETE")
async def one_fault(request: Request) -> Response:
    book = hub_of(request).faults
    fault_id = _fault_id(request)
    fault = book.get(fault_id)
    if fault is None:
        raise NotFound(f"No fault with id {fault_id!r}")
    if request.method == "DELETE":
        book.remove(fault_id)
        return JSONResponse({"deleted": 1})
    return JSONResponse(fault.wire())


routes = [
    Route("/_fakehub/faults", add_fault, methods=["POST"]),
    Route("/_fakehub/faults", list_faults, methods=["GET"]),
    Route("/_fakehub/faults", clear_faults, methods=["DELETE"]),
    Route("/_fakehub/faults/{fault_id}", one_fault, methods=["GET", "DELETE"]),
]
