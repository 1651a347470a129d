"""Wire formats for time: Hub timestamps, HTTP dates and human durations.

The Hub writes timestamps as ``YYYY-MM-DDTHH:MM:SS.mmmZ``. 0.20.3's ``parse_datetime`` requires
the fraction and the ``Z``; every later version accepts it, so that is the one format we emit.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import datetime, timezone
from email.utils import format_datetime

from fakehub.clock import NS_PER_SECOND

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
#: Longer than this is a mistake (and would push the clock past what timestamps can show).
MAX_DURATION_SECONDS = 100 * 365.25 * 86400
_FACTORS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def to_datetime(ns: int) -> datetime:
    seconds, rem = divmod(ns, NS_PER_SECOND)
    return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(microsecond=rem // 1000)


@functools.lru_cache(maxsize=4096)
def iso(ns: int) -> str:
    """``2026-01-01T00:00:00.000Z``: millisecond precision, always with fraction and ``Z``.

    Cached: a job's or a Space's answer stamps the same few instants on every read (created,
    started, finished), and a poll reads them again and again."""
    whole, rem = divmod(ns, NS_PER_SECOND)
    return f"{_iso_second(whole)}.{rem // 1_000_000:03d}Z"


@functools.lru_cache(maxsize=1024)
def _iso_second(seconds: int) -> str:
    """The date and time part of a second; cached, as reads stamp the same seconds again."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def http_date(ns: int) -> str:
    """RFC 7231 date for the ``Date`` header (whole seconds, as HTTP requires)."""
    return _http_second(ns // NS_PER_SECOND)


@functools.lru_cache(maxsize=64)
def _http_second(seconds: int) -> str:
    return format_datetime(datetime.fromtimestamp(seconds, tz=timezone.utc), usegmt=True)


def parse_iso(value: str) -> int:
    """Parse an ISO-8601 timestamp (``Z`` or offset) to epoch nanoseconds."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    whole = int(dt.replace(microsecond=0).timestamp())
    return whole * NS_PER_SECOND + dt.microsecond * 1000


def parse_duration(value: str | float) -> float:
    """Seconds from ``90``, ``"90"``, ``"90s"``, ``"10m"``, ``"1.5h"``, ``"2d"`` or ``"250ms"``.

    Raises ``ValueError`` naming the input when it is not a non-negative duration.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"a duration cannot be negative: {value!r}")
        # Compare before converting: float() of a huge int raises OverflowError.
        return _bounded(value, float(value) if value <= MAX_DURATION_SECONDS else math.inf)
    match = _DURATION.match(value)
    if not match:
        raise ValueError(
            f"not a duration: {value!r} (expected a number of seconds or e.g. '30s', '10m', '2h')"
        )
    return _bounded(value, float(match.group(1)) * _FACTORS[match.group(2)])


def _bounded(value: str | float, seconds: float) -> float:
    if not math.isfinite(seconds) or seconds > MAX_DURATION_SECONDS:
        raise ValueError(f"not a duration: {value!r} (at most 100 years)")
    return seconds
