from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakehub.timefmt import http_date, iso, parse_duration, parse_iso


def test_iso_always_has_millis_and_z() -> None:
    assert iso(1_767_225_600_000_000_000) == "2026-01-01T00:00:00.000Z"
    assert iso(1_767_225_600_123_456_789) == "2026-01-01T00:00:00.123Z"


def test_http_date() -> None:
    assert http_date(1_767_225_600_999_000_000) == "Thu, 01 Jan 2026 00:00:00 GMT"


@given(st.integers(min_value=0, max_value=4_000_000_000 * 10**9))
def test_iso_round_trips_to_the_millisecond(ns: int) -> None:
    assert parse_iso(iso(ns)) == ns - ns % 1_000_000


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (90, 90),
        ("90", 90),
        ("90s", 90),
        ("10m", 600),
        ("1.5h", 5400),
        ("2d", 172800),
        ("250ms", 0.25),
    ],
)
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten", "5 minutes", "-3", "1w", "h"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_parse_duration_rejects_negative_numbers_and_bools() -> None:
    with pytest.raises(ValueError):
        parse_duration(-1)
    with pytest.raises(ValueError):
        parse_duration(True)
