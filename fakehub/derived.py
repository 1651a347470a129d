"""A marker for state derived from other state (indexes, memoised parses).

Such objects are rebuilt from what they index, so the state dump leaves them out: a dump shows
what the hub holds, once.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

#: ``metadata`` of a dataclass field holding derived state (the dump leaves the field out).
DERIVED = MappingProxyType({"derived": True})


class Derived:
    """Base of every index or cache a record or store keeps next to its data."""

    __slots__ = ()


class Memo(dict[K, V], Derived):
    """A dict of values computed from other state (the dump leaves it out)."""

    __slots__ = ()
