"""Compiling the converters the dump generates per record type (as ``dataclasses`` generates
``__init__``): from field names and annotations only, never from values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def generated(lines: list[str], label: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    """The function ``lines`` define (they start with its ``def``), compiled in ``namespace``;
    ``label`` (the kind of converter and its type) names it in tracebacks and profiles."""
    name = lines[0].removeprefix("def ").partition("(")[0]
    exec(compile("\n".join(lines), f"<dump {label}>", "exec"), namespace)
    function: Callable[..., Any] = namespace[name]
    return function
