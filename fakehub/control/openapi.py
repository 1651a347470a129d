"""``GET /_fakehub/openapi.json``: the control API described as an OpenAPI 3.1 document.

The document is built from the app's own routes, so a control route cannot be missing from
it: each ``/_fakehub/*`` route contributes its path parameters and whatever its endpoint
declared with :func:`fakehub.control.docs.control_doc` (request body and response schemas come
from the pydantic models). Routes with no doc are still listed, flagged
``x-fakehub-undocumented`` (the control API tests fail on those).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, RootModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from fakehub import __version__
from fakehub.control import jobs as control_jobs
from fakehub.control import routes as control
from fakehub.control.docs import ControlDoc, Schema, control_doc, doc_for, register_doc
from fakehub.faults.note import is_control

_REF = "#/components/schemas/{model}"
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
}


# -- responses of the routes in fakehub.control.routes --------------------------------------


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Clock(BaseModel):
    now: str
    nowNs: int
    mode: Literal["manual", "realtime"]
    speed: float


class ResetDone(BaseModel):
    status: Literal["reset"]
    clock: Clock


class PolicyOut(BaseModel):
    policy: str
    durations: dict[str, float]


class Policies(BaseModel):
    space: PolicyOut
    job: PolicyOut


class Attempts(BaseModel):
    attempts: list[control_jobs.OutcomeBody]


class ScriptBody(RootModel[control_jobs.OutcomeBody | Attempts]):
    """One outcome, or ``{"attempts": [...]}`` for a job that is retried."""


class QueueBody(BaseModel):
    outcomes: list[control_jobs.OutcomeBody | Attempts]


class ScriptedAttempts(BaseModel):
    attempts: list[dict[str, Any]]


class ScriptedJob(ScriptedAttempts):
    id: str
    stage: str


class Queued(BaseModel):
    queued: int


class OutcomeQueue(BaseModel):
    outcomes: list[ScriptedAttempts]


# Routes of other modules that do not use @control_doc themselves.
_BUILTIN = {
    control.health: ControlDoc("Liveness and version", response=Health),
    control.get_clock: ControlDoc("The virtual clock", response=Clock),
    control.advance_clock: ControlDoc(
        "Move virtual time forward, applying due transitions in order",
        body=control.AdvanceBody,
        response=Clock,
    ),
    control.move_clock: ControlDoc(
        "Jump to an instant (never backwards)", body=control.MoveToBody, response=Clock
    ),
    control.set_clock_mode: ControlDoc(
        "Manual or realtime(speed) clock", body=control.ClockModeBody, response=Clock
    ),
    control.reset: ControlDoc("Back to the starting state", response=ResetDone),
    control.get_policies: ControlDoc("Progression policies per kind", response=Policies),
    control.set_policy: ControlDoc(
        "Set the progression policy of 'space' or 'job'",
        body=control.PolicyBody,
        response=PolicyOut,
    ),
    control_jobs.queue_outcomes: ControlDoc(
        "Queue outcomes for the next jobs to run", body=QueueBody, response=Queued
    ),
    control_jobs.list_outcomes: ControlDoc("Outcomes still queued", response=OutcomeQueue),
    control_jobs.clear_outcomes: ControlDoc("Forget queued outcomes", response=Queued),
    control_jobs.script_job: ControlDoc(
        "Script the outcome of one job", body=ScriptBody, response=ScriptedJob
    ),
}
for _endpoint, _doc in _BUILTIN.items():
    register_doc(_endpoint, _doc)


# -- the document ---------------------------------------------------------------------------


class _Components:
    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {"Error": ERROR_SCHEMA}

    def ref(self, schema: Schema, mode: Literal["validation", "serialization"]) -> Any:
        if isinstance(schema, Mapping):
            return dict(schema)
        body = schema.model_json_schema(by_alias=True, ref_template=_REF, mode=mode)
        for name, sub in body.pop("$defs", {}).items():
            self.schemas.setdefault(name, sub)
        self.schemas.setdefault(schema.__name__, body)
        return {"$ref": _REF.format(model=schema.__name__)}


def _operation(route: Route, method: str, doc: ControlDoc | None, parts: _Components) -> Any:
    slug = re.sub(r"[^a-zA-Z0-9]+", "_", route.path_format).strip("_")
    operation: dict[str, Any] = {"operationId": f"{method.lower()}_{slug}"}
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in route.param_convertors
    ]
    error = {
        "description": "Bad input, unknown resource, ...: the Hub's error format",
        "content": {"application/json": {"schema": {"$ref": _REF.format(model="Error")}}},
    }
    if doc is None:
        name = getattr(route.endpoint, "__name__", "endpoint")
        operation.update(summary=f"{name} (undocumented)", **{"x-fakehub-undocumented": True})
        operation["responses"] = {"default": {"description": "undocumented"}, "4XX": error}
    else:
        operation["summary"] = doc.summary
        if doc.description:
            operation["description"] = doc.description
        parameters += [
            {"name": q.name, "in": "query", "required": False, "description": q.description}
            | {"schema": dict(q.schema)}
            for q in doc.query
        ]
        if doc.body is not None:
            schema = parts.ref(doc.body, "validation")
            operation["requestBody"] = {
                "required": not doc.body_optional,
                "content": {"application/json": {"schema": schema}},
            }
        answer: dict[str, Any] = {"description": doc.summary}
        if doc.response is not None:
            answer["content"] = {
                "application/json": {"schema": parts.ref(doc.response, "serialization")}
            }
        operation["responses"] = {str(doc.status): answer, "4XX": error}
    if parameters:
        operation["parameters"] = parameters
    return operation


def control_routes(routes: list[BaseRoute]) -> list[tuple[Route, str]]:
    """Every ``(route, method)`` of the control API, HEAD left out (Starlette adds it to GET)."""
    found = []
    for route in routes:
        if isinstance(route, Route) and is_control(route.path):
            methods = sorted((route.methods or {"GET"}) - {"HEAD"}) or ["HEAD"]
            found += [(route, method) for method in methods]
    return found


def build_document(routes: list[BaseRoute]) -> dict[str, Any]:
    parts = _Components()
    paths: dict[str, dict[str, Any]] = {}
    for route, method in control_routes(routes):
        doc = doc_for(route.endpoint, method)
        paths.setdefault(route.path_format, {})[method.lower()] = _operation(
            route, method, doc, parts
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "fakehub control API",
            "version": __version__,
            "description": "Everything a test can do to fakehub that the Hub has no route for.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(parts.schemas.items()))},
    }


@control_doc("This document (OpenAPI 3.1)", response={"type": "object"})
async def openapi(request: Request) -> Response:
    return JSONResponse(build_document(request.app.routes))


routes = [Route("/_fakehub/openapi.json", openapi, methods=["GET"])]
