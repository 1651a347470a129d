"""The import rules of CONTRIBUTING ("Layout and data flow"), checked on the source with ``ast``.

Every import counts: at module level, inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("fakehub", "pytest_plugin")

#: what ``fakehub/domain`` may never import (it sits below all of them)
ABOVE_DOMAIN = (
    "fakehub.api",
    "fakehub.wire",
    "fakehub.control",
    "fakehub.faults",
    "fakehub.recording",
    "fakehub.scenario",
    "fakehub.routing",
    "fakehub.middleware",
    "fakehub.app",
    "fakehub.server",
    "fakehub.cli",
    "fakehub.hub",
    "fakehub.dump",
    "fakehub.requestlog",
    "fakehub.config",
)
#: the house, top floor first: a module imports only from its own floor or below
#: (the package face ``fakehub`` is the exception: it re-exports the public surface)
FLOORS = (
    ("fakehub.__main__", "fakehub.cli", "pytest_plugin"),
    ("fakehub.recording", "fakehub.scenario.cli"),
    ("fakehub.server", "fakehub.connections"),
    ("fakehub.store",),
    ("fakehub.app", "fakehub.router"),
    ("fakehub.middleware", "fakehub.api", "fakehub.control", "fakehub.dashboard"),
    ("fakehub.scenario", "fakehub.routing"),
    ("fakehub.hub",),
    ("fakehub.dump", "fakehub.requestlog", "fakehub.faults", "fakehub.wire", "fakehub.config"),
    # storage (where uploaded bytes live) is domain-level: it raises the domain's errors
    ("fakehub.domain", "fakehub.storage"),
    ("fakehub.machines",),
    (
        "fakehub.clock",
        "fakehub.scheduler",
        "fakehub.timefmt",
        "fakehub.ids",
        "fakehub.untrusted",
        "fakehub.derived",
    ),
)
#: the generic progression engine: time and scheduling only
ENGINE_MAY_IMPORT = ("fakehub.clock", "fakehub.scheduler", "fakehub.timefmt", "fakehub.machines")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # ``from package import module`` imports the module; anything else, the package
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in known else base)
    return {_owner(t, known) for t in targets if _owner(t, known)} - {name}


def _owner(target: str, known: set[str]) -> str:
    """The project module that ``target`` names (a module, or a name inside one)."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target


GRAPH = {name: imported(name, path, set(modules())) for name, path in modules().items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def floor_of(name: str) -> int:
    """The floor of ``name`` by its longest matching prefix (``fakehub.scenario.cli`` is not
    ``fakehub.scenario``)."""
    best, floor = -1, -1
    for index, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if _within(name, (prefix,)) and len(prefix) > best:
                best, floor = len(prefix), index
    assert floor >= 0, f"{name} is on no floor of FLOORS: place it"
    return floor


def test_the_graph_is_read() -> None:
    assert "fakehub.domain.spaces.records" in GRAPH["fakehub.domain.spaces.service"]


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if n != "fakehub"))
def test_imports_point_down(name: str) -> None:
    upward = [t for t in GRAPH[name] if t != "fakehub" and floor_of(t) < floor_of(name)]
    assert sorted(upward) == []


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if _within(n, ("fakehub.domain",))))
def test_domain_imports_nothing_above_it(name: str) -> None:
    assert sorted(t for t in GRAPH[name] if _within(t, ABOVE_DOMAIN)) == []


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if _within(n, ("fakehub.machines",))))
def test_the_progression_engine_imports_only_time_and_scheduling(name: str) -> None:
    assert sorted(t for t in GRAPH[name] if not _within(t, ENGINE_MAY_IMPORT)) == []


def test_the_hub_imports_nothing_that_uses_it() -> None:
    users = {n for n, targets in GRAPH.items() if "fakehub.hub" in targets}
    assert sorted(GRAPH["fakehub.hub"] & users) == []


def test_routes_never_reach_into_the_hub_context() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for name, path in modules().items()
        if _within(name, ("fakehub.api", "fakehub.control"))
        and ".ctx" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


# -- one serialisation style -------------------------------------------------------------------
#
# An answer is built by a ``*_json`` function in a ``wire/`` package (``fakehub/wire/`` for the
# Hub's routes, ``fakehub/wire/control/`` for ``/_fakehub/*``); a control route documents itself
# with that function, and ``/_fakehub/openapi.json`` derives the schema from its return type
# (a ``TypedDict``). No ``.wire()``/``.to_json()`` methods, no response models written beside
# the dicts they describe.

#: ``*_json`` functions outside ``wire/`` that are not serialisers
NOT_SERIALISERS = {"fakehub.untrusted.load_json"}  # the one parse step for client JSON


def _in_wire(name: str) -> bool:
    return _within(name, ("fakehub.wire",))


def _functions(tree: ast.AST) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """Every function of a module, and whether it is a method (defined in a class body)."""
    found = []
    for node in ast.walk(tree):
        body = node.body if isinstance(node, ast.ClassDef | ast.Module) else []
        for child in body if isinstance(body, list) else []:
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((child, isinstance(node, ast.ClassDef)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [
                (inner, False)
                for inner in node.body
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    return found


def _trees() -> dict[str, ast.AST]:
    return {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in modules().items()}


TREES = _trees()


def test_no_serialising_methods() -> None:
    offenders = sorted(
        f"{name}.{fn.name}"
        for name, tree in TREES.items()
        for fn, is_method in _functions(tree)
        if is_method and fn.name in ("wire", "to_json", "json", "to_dict")
    )
    assert offenders == []


def test_serialisers_live_in_wire() -> None:
    offenders = sorted(
        f"{name}.{fn.name}"
        for name, tree in TREES.items()
        if not _in_wire(name)
        for fn, _ in _functions(tree)
        if fn.name.endswith("_json")
        and fn.name != "_json"
        and f"{name}.{fn.name}" not in NOT_SERIALISERS
    )
    assert offenders == []


def test_control_routes_write_no_response_models() -> None:
    """Control modules define request bodies (``WireModel``) only: answers are TypedDicts."""
    offenders = sorted(
        f"{name}.{node.name}"
        for name, tree in TREES.items()
        if _within(name, ("fakehub.control", "fakehub.dashboard"))
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == "BaseModel" for b in node.bases)
    )
    assert offenders == []


def test_documented_answers_are_named_shapes() -> None:
    """Every control route's ``response=`` is a serialiser returning a ``TypedDict`` (or, for
    what no serialiser builds, a JSON Schema written out): never a model of its own."""
    from typing import get_type_hints

    from typing_extensions import is_typeddict

    from fakehub import FakeHub
    from fakehub.app import create_app
    from fakehub.control.docs import doc_for
    from fakehub.control.openapi import control_routes

    shapes = []
    for route, method in control_routes(create_app(FakeHub()).routes):
        doc = doc_for(route.endpoint, method)
        assert doc is not None, f"{method} {route.path} has no @control_doc"
        if doc.response is not None and callable(doc.response):
            returned = get_type_hints(doc.response)["return"]
            shapes.append((f"{method} {route.path}", is_typeddict(returned)))
    assert shapes and [where for where, named in shapes if not named] == []


# -- __all__ on package faces only ---------------------------------------------------------------


def test_all_is_declared_by_package_faces_only() -> None:
    declares = {
        name
        for name, tree in TREES.items()
        for node in getattr(tree, "body", [])
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == "__all__"
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    }
    faces = {name for name, path in modules().items() if path.name == "__init__.py"}
    assert sorted(declares - faces) == [], "plain modules do not declare __all__"
    assert sorted(faces - declares) == [], "every package face declares __all__"


# -- no reaching through the hub's services ------------------------------------------------------

#: ``hub.ctx`` and the parts of services that the hub exposes itself (``hub.scheduled_jobs``,
#: ``hub.files``, ``hub.lfs``, ``hub.jobs.records()``, ``hub.accounts``, ``hub.call_at``)
DEEP_PATH = re.compile(
    r"\bhub(?:_of\([^)]*\))?\.(?:ctx\b|jobs\.(?:runs|scheduled)\b|repos\.(?:files|lfs)\b)"
)
#: still reaching into ``hub.ctx.clock`` / ``hub.ctx.lock`` for restores (the store's own work)
DEEP_PATH_ALLOWED = ("fakehub.store",)


def test_callers_do_not_reach_through_the_hub() -> None:
    offenders = sorted(
        f"{name}: {match.group(0)}"
        for name, path in modules().items()
        if not _within(name, ("fakehub.domain", "fakehub.hub", *DEEP_PATH_ALLOWED))
        for match in DEEP_PATH.finditer(path.read_text(encoding="utf-8"))
    )
    assert offenders == []
