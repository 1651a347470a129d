"""Small modules, short functions (CONTRIBUTING "Rules of the house"), checked with ``ast``.

A module may reach 300 lines, or a function 40, only with a one-line comment saying why
(``# size: ...``): the first line of the module, or a line between the function's signature
and its first statement.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40
WHY = "# size:"


def _sources() -> list[Path]:
    return sorted([*(ROOT / "fakehub").rglob("*.py"), *(ROOT / "pytest_plugin").rglob("*.py")])


def _excused(lines: list[str], index: int) -> bool:
    return 0 <= index < len(lines) and lines[index].strip().startswith(WHY)


def test_modules_are_small() -> None:
    too_long = []
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) >= MAX_MODULE_LINES and not _excused(lines, 0):
            too_long.append(f"{path.relative_to(ROOT)}: {len(lines)} lines")
    assert too_long == []


def test_functions_are_short() -> None:
    too_long = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            # the excuse sits between the signature and the first statement of the body
            head = range(node.lineno - 1, node.body[0].lineno - 1)
            if length >= MAX_FUNCTION_LINES and not any(_excused(lines, i) for i in head):
                too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length}")
    assert too_long == []
