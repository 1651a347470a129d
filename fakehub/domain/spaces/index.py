"""Indexes over the Space store, so ``GET /api/spaces`` costs the same at 100 and 10,000 Spaces.

Derived from the store and kept by the operations that change what they index: the store's
``add``/``remove`` (create, delete, move, duplicate) and ``refresh`` (a commit: the README's tags,
the SDK, ``lastModified``). ``tests/property/test_indexes.py`` checks them against a full scan.

* each Space's position in store order (creation order; a moved Space goes last);
* tag -> the Spaces listing it (SDK, card tags, ``region:…``), as ``GET /api/spaces?filter=``
  matches them;
* per sort key (``lastModified``, ``createdAt``, ``id``): every Space in ascending order, ties in
  store order, so a sorted page walks from one end instead of sorting the store.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, insort
from collections.abc import Callable, Collection, Iterable, Iterator

from fakehub.derived import Derived
from fakehub.domain.spaces.card import space_card
from fakehub.domain.spaces.records import Space

_SortValue = int | str
#: sort keys whose order depends on the Space (the others, ``likes`` and ``trendingScore``, are
#: 0 for every Space: their order is store order)
SORT_VALUES: dict[str, Callable[[Space], _SortValue]] = {
    "lastModified": lambda space: space.last_modified_at_ns,
    "createdAt": lambda space: space.created_at_ns,
    "id": lambda space: space.repo_id.lower(),
}


def tags_of(space: Space) -> tuple[str, ...]:
    """The tags ``GET /api/spaces`` shows and filters on: SDK, the card's tags, the region."""
    tags = [space.sdk, *space_card(space).tags, f"region:{space.region}"]
    return tuple(dict.fromkeys(tags))


class SpaceIndex(Derived):
    def __init__(self) -> None:
        self._next = itertools.count()
        self._position: dict[str, int] = {}
        self._tags: dict[str, tuple[str, ...]] = {}
        self._tagged: dict[str, dict[str, Space]] = {}
        #: per sort key: ascending (value, position, repo id); and each Space's values
        self._sorted: dict[str, list[tuple[_SortValue, int, str]]] = {k: [] for k in SORT_VALUES}
        self._values: dict[str, tuple[_SortValue, ...]] = {}
        self._spaces: dict[str, Space] = {}

    # -- maintenance -------------------------------------------------------------------------

    def add(self, space: Space) -> None:
        repo_id = space.repo_id
        self._spaces[repo_id] = space
        self._position[repo_id] = next(self._next)
        self._index(repo_id, space)

    def remove(self, repo_id: str) -> None:
        self._unindex(repo_id)
        del self._position[repo_id]
        del self._spaces[repo_id]

    def refresh(self, space: Space) -> None:
        """The Space's tags or sort values may have changed (a commit)."""
        self._unindex(space.repo_id)
        self._index(space.repo_id, space)

    def _index(self, repo_id: str, space: Space) -> None:
        position = self._position[repo_id]
        self._tags[repo_id] = tags = tags_of(space)
        for tag in tags:
            self._tagged.setdefault(tag, {})[repo_id] = space
        values = tuple(value(space) for value in SORT_VALUES.values())
        self._values[repo_id] = values
        for key, value in zip(SORT_VALUES, values, strict=True):
            insort(self._sorted[key], (value, position, repo_id))

    def _unindex(self, repo_id: str) -> None:
        position = self._position[repo_id]
        for tag in self._tags.pop(repo_id):
            members = self._tagged[tag]
            del members[repo_id]
            if not members:
                del self._tagged[tag]
        values = self._values.pop(repo_id)
        for key, value in zip(SORT_VALUES, values, strict=True):
            entries = self._sorted[key]
            del entries[bisect_left(entries, (value, position, repo_id))]

    # -- reads -------------------------------------------------------------------------------

    def tags(self, repo_id: str) -> tuple[str, ...]:
        return self._tags[repo_id]

    def tagged(self, tag: str) -> Collection[Space]:
        """The Spaces listing ``tag``, in no particular order."""
        return self._tagged.get(tag, {}).values()

    def in_store_order(self, spaces: Iterable[Space]) -> list[Space]:
        return sorted(spaces, key=lambda space: self._position[space.repo_id])

    def ordered(self, key: str, descending: bool) -> Iterator[Space]:
        """Every Space by ``key``; ties in store order (reversed when descending)."""
        entries = self._sorted[key]
        walk = reversed(entries) if descending else iter(entries)
        return (self._spaces[repo_id] for _, _, repo_id in walk)
