"""Which Spaces a ``GET /api/spaces`` lists, in which order: the query and its matching rules.

Everything but the author and the id search comes from the Space's README card at its head
commit: its tags (``filter``), and the models and datasets it says it uses (``models``,
``datasets``, ``linked``), as the Hub links a Space to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fakehub.domain.spaces.card import README, Card, parse_card
from fakehub.domain.spaces.records import Commit, Space
from fakehub.domain.spaces.tree import regular_bytes

#: ``sort`` values of ``GET /api/spaces`` (the client maps its snake_case names to these).
SORT_KEYS = ("lastModified", "createdAt", "likes", "trendingScore", "id")


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
        return parse_card(regular_bytes(self.commit.tree, README))

    @property
    def tags(self) -> list[str]:
        card = self.card
        extra = card.data.get("tags")
        card_tags = [t for t in extra if isinstance(t, str)] if isinstance(extra, list) else []
        tags = [self.space.sdk, *card_tags, f"region:{self.space.region}"]
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


def select(views: Sequence[SpaceView], query: SpaceQuery) -> list[SpaceView]:
    """The views ``query`` keeps, in its order (creation order unless ``sort``)."""
    kept = [v for v in views if _matches(v.space, query) and _card_matches(v, query)]
    if query.sort is not None:
        # Ties break by creation order, so "descending" lists the newest first.
        order = {id(v): n for n, v in enumerate(kept)}
        kept.sort(key=lambda v: (_sort_key(v, query.sort), order[id(v)]), reverse=query.descending)
    return kept


def _matches(space: Space, query: SpaceQuery) -> bool:
    if query.author is not None and space.namespace != query.author:
        return False
    return query.search is None or query.search.lower() in space.repo_id.lower()


def _uses_all(named: list[str], wanted: tuple[str, ...]) -> bool:
    have = {name.lower() for name in named}
    return all(w.lower() in have for w in wanted)


def _card_matches(view: SpaceView, query: SpaceQuery) -> bool:
    """Tags (every one), linked models and datasets (every one named), ``linked``: from the card."""
    if query.filters and not all(f in view.tags for f in query.filters):
        return False
    if not (query.models or query.datasets or query.linked):
        return True
    card = view.card
    if query.linked and not (card.models or card.datasets):
        return False
    return _uses_all(card.models, query.models) and _uses_all(card.datasets, query.datasets)


def _sort_key(view: SpaceView, sort: str | None) -> int | str:
    space = view.space
    keys: dict[str, int | str] = {
        "lastModified": space.last_modified_at_ns,
        "createdAt": space.created_at_ns,
        "likes": 0,
        "trendingScore": 0,
        "id": space.repo_id.lower(),
    }
    return keys[sort or "createdAt"]
