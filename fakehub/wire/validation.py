"""The Hub's validation messages, in the one shape the Hub writes them.

The Hub validates requests with zod and answers 400 with zod's "pretty" rendering: one block per
issue, ``✖ <message>`` then ``  → at <path>`` (``expand[0]``, ``a.b``), blocks joined by new
lines. huggingface_hub 2.4.0's own test ``test_expand_space_property_type_is_up_to_date`` reads
the allowed ``expand`` values out of ``✖ Invalid option: expected one of "author"|"cardData"|...
→ at expand[0]``. Every message fakehub copies from the Hub is built here, so they all keep
that shape; fakehub's own messages (for checks whose Hub wording is unknown) say what was wrong
in plain words instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fakehub.domain.errors import BadRequest

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


@dataclass(frozen=True)
class Issue:
    """One problem, where it is: ``Issue(invalid_option(...), ("expand", 0))``."""

    message: str
    path: tuple[str | int, ...] = ()


def _quoted(value: object) -> str:
    return json.dumps(value) if isinstance(value, str) else str(value)


def invalid_option(allowed: Iterable[object]) -> str:
    """zod's message for a value outside an enumeration."""
    values = list(allowed)
    if len(values) == 1:
        return f"Invalid input: expected {_quoted(values[0])}"
    return "Invalid option: expected one of " + "|".join(_quoted(v) for v in values)


def dot_path(path: Sequence[str | int]) -> str:
    """``("expand", 0)`` -> ``expand[0]``; ``("a", "b")`` -> ``a.b``; odd keys -> ``["k-1"]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text


def hub_validation_message(issues: Sequence[Issue]) -> str:
    """The issues as the Hub renders them (shallowest path first, as zod does)."""
    lines: list[str] = []
    for issue in sorted(issues, key=lambda i: len(i.path)):
        lines.append(f"✖ {issue.message}")
        if issue.path:
            lines.append(f"  → at {dot_path(issue.path)}")
    return "\n".join(lines)


def check_options(name: str, values: Sequence[str], allowed: Sequence[str]) -> None:
    """400 in the Hub's words for each of ``values`` (a repeated parameter) not in ``allowed``."""
    issues = [
        Issue(invalid_option(allowed), (name, index))
        for index, value in enumerate(values)
        if value not in allowed
    ]
    if issues:
        raise BadRequest(hub_validation_message(issues))
