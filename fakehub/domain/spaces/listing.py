"""Which Spaces a ``GET /api/spaces`` lists, in which order: the query, its matching rules, and
which of the store's indexes a page walks.

Everything but the author and the id search comes from the Space's README card at its head
commit: its tags (``filter``), and the models and datasets it says it uses (``models``,
``datasets``, ``linked``), as the Hub links a Space to them.

:func:`candidates` only narrows and orders; the caller still checks every filter and the
caller's right to see each Space, so a candidate source never decides what matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from fakehub.domain.spaces.card import Card, commit_card
from fakehub.domain.spaces.index import SORT_VALUES
from fakehub.domain.spaces.records import Commit, Space
from fakehub.domain.spaces.store import SpaceStore

#: ``sort`` values of ``GET /api/spaces`` (the client maps its snake_case names to these).
SORT_KEYS = ("lastModified", "createdAt", "likes", "trendingScore", "id")
#: A narrowed set is sorted (or a tag's members put in store order) when it holds fewer than
#: this share of the store; otherwise walking the whole index in order finds a page sooner.
_SPARSE = 8


@dataclass(frozen=True)
class SpaceView:
    """A Space read at one commit (``main``'s head unless a revision was asked for)."""

    space: Space
    commit: Commit

    @property
    def is_head(self) -> bool:
        return self.commit is self.space.commits[-1]

    @property
    def card(self) -> Card:
        """The card at this commit, parsed once per README (``card.commit_card``)."""
        return commit_card(self.space, self.commit.tree)

    @property
    def tags(self) -> list[str]:
        tags = [self.space.sdk, *self.card.tags, f"region:{self.space.region}"]
        return list(dict.fromkeys(tags))


@dataclass(frozen=True)
class SpaceQuery:
    """The filters, order and page of one ``GET /api/spaces``."""

    author: str | None = None
    search: str | None = None
    filters: tuple[str, ...] = ()
    sort: str | None = None
    descending: bool = True
    offset: int = 0
    limit: int = 100
    #: Spaces whose card names every one of these models / datasets (case-insensitive)
    models: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    #: only Spaces whose card names at least one model or dataset
    linked: bool = False


def links_match(view: SpaceView, query: SpaceQuery) -> bool:
    """Linked models and datasets (every one named), ``linked``: from the card."""
    if not (query.models or query.datasets or query.linked):
        return True
    card = view.card
    if query.linked and not (card.models or card.datasets):
        return False
    return _uses_all(card.models, query.models) and _uses_all(card.datasets, query.datasets)


def _uses_all(named: list[str], wanted: tuple[str, ...]) -> bool:
    have = {name.lower() for name in named}
    return all(w.lower() in have for w in wanted)


def candidates(store: SpaceStore, query: SpaceQuery) -> Iterator[Space]:
    """Spaces that may match ``query``, in the order its page lists them."""
    narrow = _narrowed(store, query)
    if query.sort in SORT_VALUES:
        if narrow is None or len(narrow) * _SPARSE > len(store):
            return store.index.ordered(query.sort, query.descending)
        key = SORT_VALUES[query.sort]
        if query.descending:  # ties newest first: a stable sort of the reversed store order
            return iter(sorted(reversed(narrow), key=key, reverse=True))
        return iter(sorted(narrow, key=key))
    spaces: Iterable[Space] = narrow if narrow is not None else store.spaces()
    # ``likes`` and ``trendingScore`` are 0 for every Space: ties only, in (reversed) store order.
    if query.sort is not None and query.descending:
        return reversed(list(spaces))
    return iter(spaces)


def _narrowed(store: SpaceStore, query: SpaceQuery) -> list[Space] | None:
    """A subset, in store order, holding every match; None when nothing narrows it."""
    if query.search is not None:
        needle = query.search.lower()
        found = [key for key in store.lowered_ids(query.author) if needle in key]
        return [store.by_lowered(key) for key in found]
    if query.author is not None:
        return list(store.in_namespace(query.author))
    sizes = [(len(store.index.tagged(tag)), tag) for tag in query.filters]
    if sizes:
        size, tag = min(sizes)
        if size * _SPARSE < len(store):
            return store.index.in_store_order(store.index.tagged(tag))
    return None
