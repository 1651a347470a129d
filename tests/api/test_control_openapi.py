"""``/_fakehub/openapi.json``: a valid OpenAPI 3.1 document listing every control route."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from fakehub.control.openapi import control_routes


@pytest.fixture
def document(api: TestClient) -> dict[str, Any]:
    response = api.get("/_fakehub/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_control_route_is_in_the_document_and_documented(
    api: TestClient, document: dict[str, Any]
) -> None:
    in_app = {
        (route.path_format, method.lower()) for route, method in control_routes(api.app.routes)
    }  # type: ignore[attr-defined]
    in_doc = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert in_app == in_doc
    assert ("/_fakehub/faults/{fault_id}", "delete") in in_doc
    undocumented = sorted(
        f"{method.upper()} {path}"
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if op.get("x-fakehub-undocumented")
    )
    assert undocumented == [], (
        "control routes without @control_doc (see fakehub/control/docs.py): "
        + ", ".join(undocumented)
    )


def test_bodies_come_from_the_pydantic_models(document: dict[str, Any]) -> None:
    add = document["paths"]["/_fakehub/faults"]["post"]
    assert add["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FaultRule"
    }
    rule = document["components"]["schemas"]["FaultRule"]
    assert {"status", "route", "when", "dropAfterBytes", "burst"} <= set(rule["properties"])
    assert "201" in add["responses"]
    params = document["paths"]["/_fakehub/requests"]["get"]["parameters"]
    assert {p["name"] for p in params} == {"method", "path", "status", "fault", "user", "since"}


def _schema(document: dict[str, Any], path: str, method: str, status: str) -> dict[str, Any]:
    content = document["paths"][path][method]["responses"][status]["content"]
    schema: dict[str, Any] = content["application/json"]["schema"]
    return {**schema, "components": document["components"]}


@pytest.mark.parametrize(
    "path",
    ["/_fakehub/health", "/_fakehub/clock", "/_fakehub/policies", "/_fakehub/faults",
     "/_fakehub/requests", "/_fakehub/state"],
)  # fmt: skip
def test_answers_match_their_documented_schema(
    api: TestClient, document: dict[str, Any], path: str
) -> None:
    api.post("/_fakehub/faults", json={"status": 503, "route": "/api/agent-harnesses"})
    api.get("/api/agent-harnesses")
    response = api.get(path)
    assert response.status_code == 200
    jsonschema.validate(response.json(), _schema(document, path, "get", "200"))


def test_errors_match_the_documented_error_schema(
    api: TestClient, document: dict[str, Any]
) -> None:
    response = api.post("/_fakehub/faults", json={"status": "x"})
    assert response.status_code == 400
    jsonschema.validate(response.json(), _schema(document, "/_fakehub/faults", "post", "4XX"))
