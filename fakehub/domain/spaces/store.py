"""Where Spaces live, and the visibility rules every lookup goes through.

Lookups answer "not found" for a private Space the caller may not see — never "forbidden" —
so a private Space's existence does not leak (the Hub does the same).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fakehub.domain.accounts import Accounts, Actor
from fakehub.domain.errors import RepoNotFound
from fakehub.domain.spaces.records import Space


class SpaceStore:
    def __init__(self, accounts: Accounts) -> None:
        self._accounts = accounts
        self._spaces: dict[str, Space] = {}
        # Indexes, kept by add/remove (a move is a remove then an add), in the same order as
        # ``_spaces``: repo ids lowercased (unique case-insensitively on the Hub), and the
        # Spaces of each namespace.
        self._lowered: dict[str, Space] = {}
        self._by_namespace: dict[str, dict[str, Space]] = {}

    def __iter__(self) -> Iterator[Space]:
        return iter(list(self._spaces.values()))

    def __contains__(self, repo_id: str) -> bool:
        return repo_id in self._spaces

    def __len__(self) -> int:
        return len(self._spaces)

    def add(self, space: Space) -> Space:
        repo_id = space.repo_id
        self._spaces[repo_id] = space
        self._lowered[repo_id.lower()] = space
        self._by_namespace.setdefault(space.namespace, {})[repo_id] = space
        return space

    def remove(self, repo_id: str) -> Space:
        space = self._spaces.pop(repo_id)
        del self._lowered[repo_id.lower()]
        namespace = self._by_namespace[space.namespace]
        del namespace[repo_id]
        if not namespace:
            del self._by_namespace[space.namespace]
        return space

    def taken(self, repo_id: str, ignore: Space | None = None) -> bool:
        """Whether another Space has this id, compared case-insensitively."""
        found = self._lowered.get(repo_id.lower())
        return found is not None and found is not ignore

    def lowered(self, namespace: str | None = None) -> Iterable[tuple[str, Space]]:
        """``(lowercased repo id, Space)`` in creation order, of one namespace or all.

        Only for reads inside an operation (the hub's lock held): the views are live.
        """
        if namespace is None:
            return self._lowered.items()
        return (
            (repo_id.lower(), s) for repo_id, s in self._by_namespace.get(namespace, {}).items()
        )

    def get(self, repo_id: str) -> Space | None:
        return self._spaces.get(repo_id)

    def can_see(self, actor: Actor | None, space: Space) -> bool:
        return not space.private or self._accounts.can_read_namespace(actor, space.namespace)

    def visible(self, actor: Actor | None, repo_id: str) -> Space:
        """The Space if ``actor`` may see it; ``RepoNotFound`` otherwise."""
        space = self._spaces.get(repo_id)
        if space is None or not self.can_see(actor, space):
            raise RepoNotFound()
        return space

    def writable(self, actor: Actor | None, repo_id: str, what: str) -> Space:
        """The Space if ``actor`` may change it: 404 if invisible, then 401/403 as the Hub does."""
        space = self.visible(actor, repo_id)
        self._accounts.require_write(actor, space.namespace, what)
        return space
