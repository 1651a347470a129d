"""The ``Range`` header parser of downloads (``fakehub.wire.ranges``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakehub.domain.errors import BadRequest, RangeNotSatisfiable
from fakehub.wire.ranges import ByteRange, parse_range


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 10, None),
        ("", 10, None),
        ("bytes=0-0", 10, ByteRange(0, 0)),
        ("bytes=2-", 10, ByteRange(2, 9)),
        ("bytes=-3", 10, ByteRange(7, 9)),
        ("bytes=-30", 10, ByteRange(0, 9)),
        ("bytes=4-400", 10, ByteRange(4, 9)),
        (" Bytes = 1-2 ", 10, ByteRange(1, 2)),  # spaces around the parts are tolerated
        ("BYTES=1-2", 10, ByteRange(1, 2)),  # units are case-insensitive
        ("bytes=0-1,3-4", 10, None),  # several ranges: the whole file
        ("items=0-1", 10, None),  # another unit: ignored (RFC 9110 MUST)
    ],
)
def test_ranges(header: str | None, size: int, expected: ByteRange | None) -> None:
    assert parse_range(header, size) == expected


@pytest.mark.parametrize("header", ["bytes=", "bytes=-", "bytes=a-1", "bytes=1-a", "bytes=3-2"])
def test_malformed_ranges_are_400s_naming_the_header(header: str) -> None:
    with pytest.raises(BadRequest, match=r"^Range"):
        parse_range(header, 10)


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=0-0", 0), ("bytes=-0", 5)])
def test_unsatisfiable_ranges(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable, match="not satisfiable"):
        parse_range(header, size)


@given(st.integers(0, 50), st.integers(0, 60), st.one_of(st.none(), st.integers(0, 60)))
def test_a_satisfiable_range_lies_inside_the_file(size: int, first: int, last: int | None) -> None:
    header = f"bytes={first}-{'' if last is None else last}"
    if last is not None and last < first:
        return
    try:
        got = parse_range(header, size)
    except RangeNotSatisfiable:
        assert first >= size
        return
    assert got is not None and 0 <= got.first <= got.last < size
    assert (
        got.first == first
        and got.length == min(size - 1, size if last is None else last) - first + 1
    )
    assert got.content_range(size) == f"bytes {got.first}-{got.last}/{size}"
