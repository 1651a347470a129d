"""Check response bodies against the Hub's own published OpenAPI schema (tests/data).

``assert_matches_openapi("/api/spaces/{namespace}/{repo}/variables", "get", 200, body)`` fails
with the schema error when the body does not validate. Paths use the schema's own templates;
``declared(path, method, status)`` tells whether the schema declares a JSON body for that answer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

#: A copy kept in the repository (see tests/data/README.md for where it comes from).
SPEC = Path(__file__).resolve().parent / "data" / "hub-openapi.json"


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SPEC.read_text())
    return document


def _resolve(node: Any) -> Any:
    """Inline ``#/components/...`` references so each schema validates on its own."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = _document()
            for part in ref[2:].split("/"):
                target = target[part]
            return _resolve(target)
        return {k: _resolve(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v) for v in node]
    return node


def schema_for(path: str, method: str, status: int) -> dict[str, Any] | None:
    operation = _document()["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return None
    response = operation.get("responses", {}).get(str(status))
    if response is None:
        return None
    content = response.get("content", {}).get("application/json")
    if content is None or "schema" not in content:
        return None
    schema: dict[str, Any] = _resolve(content["schema"])
    return schema


def declared(path: str, method: str, status: int = 200) -> bool:
    return schema_for(path, method, status) is not None


def assert_matches_openapi(path: str, method: str, status: int, body: Any) -> None:
    schema = schema_for(path, method, status)
    if schema is None:
        raise AssertionError(
            f"hub-openapi.json declares no JSON body for {method.upper()} {path} {status}"
        )
    validator_cls = jsonschema.validators.validator_for(
        schema, default=jsonschema.Draft202012Validator
    )
    validator = validator_cls(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        details = "\n".join(
            f"  at {'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}"
            for e in errors[:10]
        )
        raise AssertionError(
            f"{method.upper()} {path} {status} does not match hub-openapi.json:\n{details}"
        )
