"""Where Spaces live, and the visibility rules every lookup goes through.

Lookups answer "not found" for a private Space the caller may not see — never "forbidden" —
so a private Space's existence does not leak (the Hub does the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fakehub.domain.accounts import Accounts, Actor
from fakehub.domain.errors import BadRequest, RepoNotFound
from fakehub.domain.spaces.records import Space
from fakehub.domain.volumes import Volume

#: ``namespace/name`` as the Hub spells Space ids
_SPACE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


class SpaceStore:
    def __init__(self, accounts: Accounts) -> None:
        self._accounts = accounts
        self._spaces: dict[str, Space] = {}

    def __iter__(self) -> Iterator[Space]:
        return iter(list(self._spaces.values()))

    def __contains__(self, repo_id: str) -> bool:
        return repo_id in self._spaces

    def add(self, space: Space) -> Space:
        self._spaces[space.repo_id] = space
        return space

    def remove(self, repo_id: str) -> Space:
        return self._spaces.pop(repo_id)

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

    def referenced(self, actor: Actor | None, repo_id: str, field: str) -> Space:
        """A Space another resource names (a job's ``spaceId``, a volume's ``source``).

        400 when ``repo_id`` is not shaped like a Space id; 404 naming it when the caller may
        not see it (it does not exist, or it is another account's private Space): the same
        answer for both, so a reference does not reveal what a lookup would hide.
        """
        if not _SPACE_ID.match(repo_id):
            raise BadRequest(f"{field}: expected a Space id 'namespace/name', got {repo_id!r}")
        try:
            return self.visible(actor, repo_id)
        except RepoNotFound:
            raise RepoNotFound(
                f"{field}: Space {repo_id} not found (it does not exist, or you cannot see it)"
            ) from None

    def check_volumes(self, actor: Actor | None, volumes: Iterable[Volume], field: str) -> None:
        """Every ``space`` volume must mount a Space the caller can see."""
        for index, volume in enumerate(volumes):
            if volume.type == "space":
                self.referenced(actor, volume.source, f"{field}[{index}].source")

    def writable(self, actor: Actor | None, repo_id: str, what: str) -> Space:
        """The Space if ``actor`` may change it: 404 if invisible, then 401/403 as the Hub does."""
        space = self.visible(actor, repo_id)
        self._accounts.require_write(actor, space.namespace, what)
        return space
