"""The ``Range`` request header on file downloads (RFC 9110 §14), one byte range at a time.

The npm client probes every download with ``Range: bytes=0-0`` and reads the file size from
``Content-Range``; Python clients send ``bytes=<n>-`` to resume a broken download. Choices (see
the README, "Behaviours fakehub chose"):

* a unit other than ``bytes`` is ignored (RFC 9110 says it MUST be), so is ``Range`` on ``HEAD``
  (range handling is defined for GET only): the whole file is answered;
* several ranges at once are answered with the whole file (200), as S3 and the Hub's CDN do;
* a malformed ``bytes=`` value is a 400 naming the header (a testing tool says so loudly);
* a range that starts at or past the end of the file (every range of an empty file) is a 416.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fakehub.domain.errors import BadRequest, RangeNotSatisfiable

_SPEC = re.compile(r"^(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    """Inclusive first and last byte of a satisfiable range."""

    first: int
    last: int

    def content_range(self, size: int) -> str:
        return f"bytes {self.first}-{self.last}/{size}"

    @property
    def length(self) -> int:
        return self.last - self.first + 1


def unsatisfiable_content_range(size: int) -> str:
    """``Content-Range`` of a 416: the current length, no range."""
    return f"bytes */{size}"


def _unsatisfiable(header: str, size: int) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(f"Range {header!r} is not satisfiable: the file has {size} bytes")


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one byte range ``header`` asks of a ``size``-byte file; None for the whole file."""
    if header is None or not header.strip():
        return None
    unit, _, specs = header.strip().partition("=")
    if unit.strip().lower() != "bytes":
        return None
    parts = [part.strip() for part in specs.split(",")]
    if len(parts) > 1:
        return None
    match = _SPEC.match(parts[0])
    if match is None or match.groups() == ("", ""):
        raise BadRequest(
            f"Range: expected 'bytes=<first>-<last>', 'bytes=<first>-' or 'bytes=-<suffix>', "
            f"got {header!r}"
        )
    first_text, last_text = match.groups()
    if first_text == "":
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise _unsatisfiable(header, size)
        return ByteRange(max(0, size - suffix), size - 1)
    first = int(first_text)
    if last_text and int(last_text) < first:
        raise BadRequest(f"Range: the last byte is before the first in {header!r}")
    if first >= size:
        raise _unsatisfiable(header, size)
    last = int(last_text) if last_text else size - 1
    return ByteRange(first, min(last, size - 1))
