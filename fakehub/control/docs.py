"""How a control route describes itself for the OpenAPI document.

Decorate the endpoint::

    @control_doc("Add a fault rule", body=FaultRule, response=FaultOut, status=201)
    async def add_fault(request: Request) -> Response: ...

or, for an endpoint you cannot decorate, ``register_doc(endpoint, ControlDoc(...))``. One
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

#: A response or parameter schema: a pydantic model, or a JSON Schema written out.
Schema = type[BaseModel] | Mapping[str, Any]

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


_REGISTRY: dict[Any, dict[str, ControlDoc]] = {}


def register_doc(endpoint: Callable[..., Any], doc: ControlDoc, method: str = "*") -> None:
    _REGISTRY.setdefault(endpoint, {})[method.upper()] = doc


def control_doc(
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    response: Schema | None = None,
    status: int = 200,
    query: tuple[QueryParam, ...] = (),
    description: str = "",
    method: str = "*",
) -> Callable[[E], E]:
    doc = ControlDoc(summary, body, response, status, query, description)

    def decorate(endpoint: E) -> E:
        register_doc(endpoint, doc, method)
        return endpoint

    return decorate


def doc_for(endpoint: Any, method: str) -> ControlDoc | None:
    docs = _REGISTRY.get(endpoint, {})
    return docs.get(method.upper()) or docs.get("*")
