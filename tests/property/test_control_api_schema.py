"""Bodies generated from ``/_fakehub/openapi.json`` (and random JSON) never get a 500.

Bodies come from each operation's own request schema (``from_schema`` below: the subset of
JSON Schema that pydantic emits), so most
are valid and reach deep into the routes; a share are arbitrary JSON, to exercise refusals.
Every 2xx answer must match the response schema the document declares, every 4xx the
Hub's error format.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from tests.conftest import WRITE

_hub = FakeHub(HubConfig())
_app = create_app(_hub)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(_app, base_url="http://fake.test", raise_server_exceptions=False) as c:
        c.headers.update(WRITE)
        yield c


def _document() -> dict[str, Any]:
    with TestClient(_app, base_url="http://fake.test") as c:
        document: dict[str, Any] = c.get("/_fakehub/openapi.json").json()
    return document


DOCUMENT = _document()
COMPONENTS = {"components": DOCUMENT["components"]}
ALL_OPERATIONS = sorted((path, method) for path, ops in DOCUMENT["paths"].items() for method in ops)


def _answers_json(path: str, method: str) -> bool:
    """Not the dashboard's page and files, nor the endless event stream (tested on their own)."""
    responses = DOCUMENT["paths"][path][method]["responses"]
    contents = [r.get("content", {}) for code, r in responses.items() if code != "4XX"]
    return all(not content or "application/json" in content for content in contents)


OPERATIONS = [(path, method) for path, method in ALL_OPERATIONS if _answers_json(path, method)]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
#: numbers at the edges, where overflow bugs live
edges = st.sampled_from([0, -1, 1, 0.5, 1e-300, 1e15, 1e308, 2**63, 10**30])
segments = st.sampled_from(["space", "job", "fakeuser", "fakeorg", "demo", "fault-1", "nope", "é"])


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    return _strategy(schema, 0)


def _strategy(schema: Any, depth: int) -> st.SearchStrategy[Any]:
    if not isinstance(schema, dict) or depth > 6:
        return json_values
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return st.deferred(lambda: _strategy(DOCUMENT["components"]["schemas"][name], depth + 1))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([_strategy(s, depth + 1) for s in schema[key]])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, depth)
    if kind == "array":
        return st.lists(_strategy(schema.get("items", {}), depth + 1), max_size=3)
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.integers(min_value=low, max_value=high) | st.integers() | edges
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | edges
    if kind == "string":
        return st.text(max_size=12) | st.sampled_from(["1s", "250ms", "10m", "*", "/api/*", "GET"])
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return json_values


def _object(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    if not properties:
        values = _strategy(schema.get("additionalProperties", {}), depth + 1)
        return st.dictionaries(st.text(max_size=8), values, max_size=3)
    fields = {name: _strategy(sub, depth + 1) for name, sub in properties.items()}
    return st.fixed_dictionaries(
        {k: v for k, v in fields.items() if k in required},
        optional={k: v for k, v in fields.items() if k not in required},
    )


def _operation(path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = DOCUMENT["paths"][path][method]
    return operation


def _body_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    body = operation.get("requestBody")
    if body is None:
        return None
    return {**body["content"]["application/json"]["schema"], **COMPONENTS}


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, dict[str, str], Any]:
    path, method = draw(st.sampled_from(OPERATIONS))
    operation = _operation(path, method)
    url = path
    query: dict[str, str] = {}
    for param in operation.get("parameters", []):
        if param["in"] == "path":
            url = url.replace("{" + param["name"] + "}", draw(segments))
        elif draw(st.booleans()):
            query[param["name"]] = draw(st.text(max_size=10) | st.sampled_from(["4xx", "GET", "1"]))
    schema = _body_schema(operation)
    body = None
    if schema is not None:
        body = draw(from_schema(schema) | json_values)
    return method.upper(), url, query, body


def _check_answer(path: str, method: str, status: int, payload: Any) -> None:
    responses = _operation(path, method)["responses"]
    declared = responses.get(str(status)) if status < 400 else responses["4XX"]
    assert declared is not None, f"{method.upper()} {path} answered {status}, not declared"
    content = declared.get("content", {}).get("application/json")
    if content is not None:
        jsonschema.validate(payload, {**content["schema"], **COMPONENTS})


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests())
def test_no_500_and_answers_match_the_document(
    client: TestClient, request: tuple[str, str, dict[str, str], Any]
) -> None:
    method, url, query, body = request
    _hub.reset(HubConfig())
    _app.state.server_errors.clear()
    content = None if body is None else json.dumps(body).encode()
    response = client.request(method, url, params=query, content=content)
    assert response.status_code < 500, (method, url, body, response.text)
    assert not _app.state.server_errors
    template = next(p for p, m in OPERATIONS if m == method.lower() and _matches(p, url))
    _check_answer(template, method.lower(), response.status_code, response.json())


def _matches(template: str, url: str) -> bool:
    parts, actual = template.split("/"), url.split("/")
    return len(parts) == len(actual) and all(
        p == a or p.startswith("{") for p, a in zip(parts, actual, strict=True)
    )
