"""Which recorded answer a replayed request gets, and why a request has none.

A request matches a recorded one when the method, the path, the query (order-insensitive; a
parameter repeated keeps its values in order) and the body (JSON compared parsed, anything else
as text) are equal, after both went through the same scrubbing. Headers are not compared.

Identical requests get their recorded answers in recorded order; after the last one, the last
one is repeated, so a client that polls more often than when it was recorded keeps seeing the
final state.
"""

from __future__ import annotations

import difflib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fakehub.recording.cassette import Interaction, Request

Key = tuple[str, str, tuple[tuple[str, str], ...], str]
#: how many recorded requests an unmatched-request error lists
CLOSEST = 3


def _body_key(request: Request) -> str:
    if "json_" in request.model_fields_set:
        return "json:" + json.dumps(request.json_, sort_keys=True, separators=(",", ":"))
    if request.text is not None:
        return "text:" + request.text
    if request.base64 is not None:
        return "base64:" + request.base64
    return ""


def key_of(request: Request) -> Key:
    return (
        request.method.upper(),
        request.path,
        tuple(sorted(request.query_pairs())),
        _body_key(request),
    )


def describe(request: Request) -> str:
    query = "&".join(f"{k}={v}" for k, v in request.query_pairs())
    return f"{request.method.upper()} {request.path}" + (f"?{query}" if query else "")


@dataclass
class _Track:
    interactions: list[Interaction]
    used: int = 0


class Player:
    """Hands out recorded answers; thread-safe (the replay server may serve streams in parallel)."""

    def __init__(self, interactions: Iterable[Interaction]) -> None:
        self._tracks: dict[Key, _Track] = {}
        for interaction in interactions:
            key = key_of(interaction.request)
            self._tracks.setdefault(key, _Track([])).interactions.append(interaction)
        self._lock = threading.Lock()

    def next(self, request: Request, *, repeat_last: bool = True) -> Interaction | None:
        """The next recorded answer for ``request``; ``None`` when there is none (left)."""
        with self._lock:
            track = self._tracks.get(key_of(request))
            if track is None:
                return None
            if track.used < len(track.interactions):
                track.used += 1
                return track.interactions[track.used - 1]
            return track.interactions[-1] if repeat_last else None

    def unused(self) -> list[Interaction]:
        with self._lock:
            return [i for t in self._tracks.values() for i in t.interactions[t.used :]]

    def explain_miss(self, request: Request) -> str:
        """The error text for a request the cassette does not hold: the closest ones and how."""
        with self._lock:
            recorded = [t.interactions[0].request for t in self._tracks.values()]
        lines = [f"fakehub replay: the cassette holds no recorded answer for {describe(request)}"]
        if not recorded:
            lines.append("The cassette is empty.")
            return "\n".join(lines)
        ranked = sorted(recorded, key=lambda r: -_similarity(request, r))[:CLOSEST]
        lines.append("Closest recorded requests:")
        for candidate in ranked:
            lines.append(f"  - {describe(candidate)}")
            lines.extend(f"      {d}" for d in differences(request, candidate))
        lines.append(
            "Re-record the cassette (--fakehub-record-mode=all, or new_episodes to add to it) "
            "if the client's requests changed on purpose."
        )
        return "\n".join(lines)


def _similarity(a: Request, b: Request) -> float:
    score = 2.0 if a.method.upper() == b.method.upper() else 0.0
    score += 3 * difflib.SequenceMatcher(None, a.path, b.path).ratio()
    score += 1.0 if sorted(a.query_pairs()) == sorted(b.query_pairs()) else 0.0
    score += 1.0 if _body_key(a) == _body_key(b) else 0.0
    return score


def differences(request: Request, recorded: Request) -> list[str]:
    out = []
    if request.method.upper() != recorded.method.upper():
        out.append(f"method: {request.method.upper()} (recorded {recorded.method.upper()})")
    if request.path != recorded.path:
        out.append(f"path: {request.path} (recorded {recorded.path})")
    mine, theirs = sorted(request.query_pairs()), sorted(recorded.query_pairs())
    if mine != theirs:
        extra = [f"{k}={v}" for k, v in mine if (k, v) not in theirs]
        missing = [f"{k}={v}" for k, v in theirs if (k, v) not in mine]
        out.append(
            "query: "
            + ", ".join([*(f"+{p}" for p in extra), *(f"-{p} (recorded)" for p in missing)])
        )
    if _body_key(request) != _body_key(recorded):
        out.append("body: " + _body_difference(request, recorded))
    return out or ["(identical; all recorded answers were used)"]


def _body_difference(request: Request, recorded: Request) -> str:
    mine = request.json_ if "json_" in request.model_fields_set else _MISSING
    theirs = recorded.json_ if "json_" in recorded.model_fields_set else _MISSING
    if mine is not _MISSING and theirs is not _MISSING:
        diffs = _json_diff(mine, theirs, "$")
        return "; ".join(diffs[:4]) + (f"; ... ({len(diffs) - 4} more)" if len(diffs) > 4 else "")
    return f"{_clip(_body_key(request))} (recorded {_clip(_body_key(recorded))})"


_MISSING: Any = object()


def _json_diff(a: Any, b: Any, where: str) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            if key not in b:
                out.append(f"{where}.{key} = {_short(a[key])} (not recorded)")
            elif key not in a:
                out.append(f"{where}.{key} missing (recorded {_short(b[key])})")
            else:
                out.extend(_json_diff(a[key], b[key], f"{where}.{key}"))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _json_diff(x, y, f"{where}[{i}]")
        ]
    return [] if a == b else [f"{where} = {_short(a)} (recorded {_short(b)})"]


def _short(value: Any) -> str:
    return _clip(json.dumps(value, ensure_ascii=False))


def _clip(text: str) -> str:
    if text == "":
        return "(no body)"
    return text if len(text) <= 60 else text[:57] + "..."
