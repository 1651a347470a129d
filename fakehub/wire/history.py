"""The commit history on the wire: query parameters and one commit's JSON (Hub OpenAPI)."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fakehub.domain.errors import BadRequest
from fakehub.domain.spaces.records import Commit
from fakehub.timefmt import iso

#: The Hub's page size when ``limit`` is absent, and its bounds (OpenAPI).
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
#: ``expand`` values the route knows; ``huggingface_hub`` sends ``expand[]=formatted``.
EXPAND_VALUES = ("formatted",)


@dataclass(frozen=True)
class HistoryQuery:
    page: int = 0
    limit: int = DEFAULT_LIMIT
    formatted: bool = False


def _integer(name: str, raw: str, minimum: int, maximum: int | None = None) -> int:
    text = raw.strip()
    if not text.isdigit():
        raise BadRequest(f"{name}: expected an integer, got {raw!r}")
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise BadRequest(f"{name}: must be {bound}, got {value}")
    return value


def parse_history_query(params: Iterable[tuple[str, str]]) -> HistoryQuery:
    page, limit, formatted = 0, DEFAULT_LIMIT, False
    for key, value in params:
        if key == "p":
            page = _integer("p", value, 0)
        elif key == "limit":
            limit = _integer("limit", value, 1, MAX_LIMIT)
        elif key in ("expand", "expand[]"):
            if value not in EXPAND_VALUES:
                raise BadRequest(
                    f"expand: invalid value {value!r}; expected one of {', '.join(EXPAND_VALUES)}"
                )
            formatted = True
    return HistoryQuery(page, limit, formatted)


def commit_history_json(commit: Commit, *, formatted: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": commit.oid,
        "title": commit.title,
        "message": commit.description,
        "authors": [{"user": commit.author, "avatar": f"/avatars/{commit.author}.svg"}],
        "date": iso(commit.at_ns),
    }
    if formatted:
        # The Hub renders Markdown to HTML; fakehub escapes the text (no Markdown renderer).
        body["formatted"] = {
            "title": html.escape(commit.title),
            "message": html.escape(commit.description),
        }
    return body
