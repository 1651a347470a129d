"""Check response bodies against the Hub's own published OpenAPI schema (tests/data).

``assert_matches_openapi("/api/spaces/{namespace}/{repo}/variables", "get", 200, body)`` fails
with the schema error when the body does not validate. Paths use the schema's own templates;
``declared(path, method, status)`` tells whether the schema declares a JSON body for that answer;
``template_for("/api/jobs/fakeuser/abc")`` finds the template a concrete path answers to.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jsonschema

#: A copy kept in the repository (see tests/data/README.md for where it comes from).
SPEC = Path(__file__).resolve().parent / "data" / "hub-openapi.json"

_VARIABLES = "/api/spaces/{namespace}/{repo}/variables"
_SECRETS = "/api/spaces/{namespace}/{repo}/secrets"


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


def _published(path: str, method: str, status: int) -> dict[str, Any] | None:
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


def _without_entry_key(schema: dict[str, Any]) -> None:
    entry = schema["additionalProperties"]
    entry["required"] = [name for name in entry.get("required", []) if name != "key"]


def _tree_entry_has_path(schema: dict[str, Any]) -> None:
    schema["items"]["properties"]["path"] = {"type": "string"}
    schema["items"]["required"] = [*schema["items"].get("required", []), "path"]


def _paths_info_lfs_has_oid_and_size(schema: dict[str, Any]) -> None:
    lfs = schema["items"]["properties"]["lfs"]
    lfs["properties"]["oid"] = {"type": "string"}
    lfs["properties"]["size"] = {"type": "integer"}
    lfs["required"] = ["oid", "size", "pointerSize"]


#: Where the published schema is wrong about the production Hub, and what proves it:
#: * variables entries carry no ``key`` (the recorded answers, huggingface_hub's
#:   ``TestSpaceAPIProduction.test_manage_variables`` cassette); secrets follow variables;
#: * tree entries carry ``path`` (every client reads it: ``RepoFile(**entry)`` needs it, and the
#:   recorded tree answers have it), which the trimmed schema leaves out;
#: * paths-info ``lfs`` objects carry ``oid`` and ``size`` as tree ones do: every client builds
#:   ``RepoFile(**entry)``, which reads ``lfs["oid"]`` and ``lfs["size"]`` (a KeyError otherwise).
_CORRECTIONS = {
    (_VARIABLES, "get", 200): _without_entry_key,
    (_SECRETS, "get", 200): _without_entry_key,
    ("/api/spaces/{namespace}/{repo}/tree/{rev}/{path}", "get", 200): _tree_entry_has_path,
    (
        "/api/spaces/{namespace}/{repo}/paths-info/{rev}",
        "post",
        200,
    ): _paths_info_lfs_has_oid_and_size,
}


@cache
def _corrected(path: str, method: str, status: int) -> dict[str, Any] | None:
    schema = _published(path, method, status)
    fix = _CORRECTIONS.get((path, method, status))
    if schema is not None and fix is not None:
        schema = copy.deepcopy(schema)
        fix(schema)
    return schema


def schema_for(path: str, method: str, status: int) -> dict[str, Any] | None:
    """The published schema, with the corrections the production Hub's recordings force.

    ``POST``/``DELETE /variables`` answer the same map as ``GET`` in the recordings (the schema
    declares no body for them). Where recordings and schema disagree the recordings win.
    """
    method = method.lower()
    if path == _VARIABLES and method in ("post", "delete") and status == 200:
        method = "get"
    return _corrected(path, method, status)


def declared(path: str, method: str, status: int = 200) -> bool:
    return schema_for(path, method, status) is not None


@lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """Every path template as a regex, most literal first (``/count`` before ``/{jobId}``)."""

    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}]+\})", template)
        regex = "".join(
            ("(.+)" if part == "{path}" else "([^/]+)") if part.startswith("{") else re.escape(part)
            for part in parts
        )
        return re.compile(f"^{regex}$")

    templates = list(_document()["paths"])
    templates.sort(key=lambda t: -len(re.sub(r"\{[^}]+\}", "", t)))
    return [(pattern(t), t) for t in templates]


def template_for(path: str) -> str | None:
    for regex, template in _templates():
        if regex.match(path):
            return template
    return None


@cache
def _validator(path: str, method: str, status: int) -> Any:
    schema = schema_for(path, method, status)
    if schema is None:
        return None
    validator_cls = jsonschema.validators.validator_for(
        schema, default=jsonschema.Draft202012Validator
    )
    return validator_cls(schema, format_checker=jsonschema.FormatChecker())


def problems(path: str, method: str, status: int, body: Any) -> list[str]:
    """What is wrong with ``body`` for that answer ([] when it validates or nothing is declared)."""
    validator = _validator(path, method.lower(), status)
    if validator is None:
        return []
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    return [
        f"at {'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}"
        for e in errors[:10]
    ]


def assert_matches_openapi(path: str, method: str, status: int, body: Any) -> None:
    if schema_for(path, method, status) is None:
        raise AssertionError(
            f"hub-openapi.json declares no JSON body for {method.upper()} {path} {status}"
        )
    found = problems(path, method, status, body)
    if found:
        details = "\n".join(f"  {line}" for line in found)
        raise AssertionError(
            f"{method.upper()} {path} {status} does not match hub-openapi.json:\n{details}"
        )
