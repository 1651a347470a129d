"""How a control route describes itself for the OpenAPI document: every one the same way.

Decorate the endpoint::

    @control_doc("Add a fault rule", body=FaultRule, response=fault_json, status=201)
    async def add_fault(request: Request) -> Response: ...

``body`` is the pydantic model the route parses its JSON with; ``response`` is the serialiser
(in :mod:`fakehub.wire.control`) that builds the answer: the document takes the schema from its
return type, a ``TypedDict``, so a shape is written once. Only an answer no serialiser builds
(a free-form object, an event stream, a page) gives a JSON Schema written out instead. One
decorator per method when an endpoint serves several methods differently
(``@control_doc(..., method="DELETE")``); without ``method`` the doc covers every method.
A ``/_fakehub/*`` route with no doc still appears in ``/_fakehub/openapi.json``, flagged
``x-fakehub-undocumented``, and the control API tests fail on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

#: What a response is documented by: the serialiser that builds it, or a JSON Schema written out.
Schema = Callable[..., Mapping[str, object]] | Mapping[str, Any]

E = TypeVar("E", bound=Callable[..., Any])


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class ControlDoc:
    summary: str
    body: type[BaseModel] | None = None
    response: Schema | None = None
    status: int = 200
    query: tuple[QueryParam, ...] = ()
    description: str = ""
    #: whether the body may be left out entirely (e.g. ``POST /_fakehub/reset``)
    body_optional: bool = False
    #: what a success answers: JSON, or e.g. ``text/event-stream``, ``text/html``
    media_type: str = "application/json"


_REGISTRY: dict[Any, dict[str, ControlDoc]] = {}


def control_doc(
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    response: Schema | None = None,
    status: int = 200,
    query: tuple[QueryParam, ...] = (),
    description: str = "",
    method: str = "*",
    media_type: str = "application/json",
) -> Callable[[E], E]:
    doc = ControlDoc(summary, body, response, status, query, description, media_type=media_type)

    def decorate(endpoint: E) -> E:
        _REGISTRY.setdefault(endpoint, {})[method.upper()] = doc
        return endpoint

    return decorate


def doc_for(endpoint: Any, method: str) -> ControlDoc | None:
    docs = _REGISTRY.get(endpoint, {})
    return docs.get(method.upper()) or docs.get("*")
