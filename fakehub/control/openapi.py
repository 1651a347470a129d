"""``GET /_fakehub/openapi.json``: the control API described as an OpenAPI 3.1 document.

The document is built from the app's own routes, so a control route cannot be missing from
it: each ``/_fakehub/*`` route contributes its path parameters and whatever its endpoint
declared with :func:`fakehub.control.docs.control_doc`: request bodies from their pydantic
models, answers from the return type (a ``TypedDict``) of the serialiser that builds them.
Routes with no doc are still listed, flagged ``x-fakehub-undocumented`` (the control API
tests fail on those).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal, get_type_hints

from pydantic import BaseModel, TypeAdapter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from typing_extensions import is_typeddict

from fakehub import __version__
from fakehub.control.docs import ControlDoc, Schema, control_doc, doc_for
from fakehub.faults.note import is_control

_REF = "#/components/schemas/{model}"
Mode = Literal["validation", "serialization"]
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
}


# -- the document ---------------------------------------------------------------------------


@cache
def _adapter(shape: Any) -> TypeAdapter[Any]:
    """Built once per shape: a TypeAdapter compiles its schema on creation."""
    return TypeAdapter(shape)


class _Components:
    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {"Error": ERROR_SCHEMA}

    def ref(self, schema: Schema | type[BaseModel], mode: Mode) -> Any:
        """A ``$ref`` to the named shape (its parts become components too), or the schema."""
        if isinstance(schema, Mapping):
            return dict(schema)
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            shape: Any = schema
            body = schema.model_json_schema(by_alias=True, ref_template=_REF, mode=mode)
        else:  # a serialiser: the shape is its return type
            shape = get_type_hints(schema)["return"]
            body = _adapter(shape).json_schema(by_alias=True, ref_template=_REF, mode=mode)
        for name, sub in body.pop("$defs", {}).items():
            self.schemas.setdefault(name, sub)
        if shape is not schema and not is_typeddict(shape):  # e.g. list[...]: nothing to name
            return body
        self.schemas.setdefault(shape.__name__, body)
        return {"$ref": _REF.format(model=shape.__name__)}


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
                doc.media_type: {"schema": parts.ref(doc.response, "serialization")}
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
