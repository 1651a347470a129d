"""Space secrets and variables: members of the namespace list them, writers change them.

Secret values are write-only: they are never returned (``secrets`` gives the records, and the
wire shows keys and descriptions only). A change restarts a running Space, as on the Hub.
"""

from __future__ import annotations

from fakehub.domain.accounts import Actor
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import Forbidden, Unauthorized
from fakehub.domain.spaces import runtime_settings as settings
from fakehub.domain.spaces.lifecycle import Lifecycle
from fakehub.domain.spaces.records import KeyValue, Space
from fakehub.domain.spaces.store import SpaceStore


class SpaceSecrets:
    """The secrets and variables operations of :class:`~.service.SpaceService` (its base)."""

    ctx: HubContext
    store: SpaceStore
    lifecycle: Lifecycle

    def _settings_reader(self, actor: Actor | None, repo_id: str) -> Space:
        """Members of the namespace (any token role) may list secrets and variables."""
        space = self.store.visible(actor, repo_id)
        if actor is None:
            raise Unauthorized("You must be authenticated to read the settings of this Space")
        if not self.ctx.accounts.can_read_namespace(actor, space.namespace):
            raise Forbidden(
                f"You don't have the rights to read the settings of {space.repo_id}: "
                f"only members of {space.namespace} may"
            )
        return space

    @operation
    def secrets(self, actor: Actor | None, repo_id: str) -> dict[str, KeyValue]:
        return self._settings_reader(actor, repo_id).secrets

    @operation
    def add_secret(
        self, actor: Actor | None, repo_id: str, key: str, value: str, description: str | None
    ) -> None:
        space = self.store.writable(actor, repo_id, "add secrets to this Space")
        now = self.ctx.clock.now()
        space.secrets = settings.upsert(space.secrets, key, value, description, now)
        self.lifecycle.changed(space, now)

    @operation
    def delete_secret(self, actor: Actor | None, repo_id: str, key: str) -> None:
        space = self.store.writable(actor, repo_id, "delete secrets of this Space")
        remaining = settings.without(space.secrets, key)
        if remaining is not None:
            space.secrets = remaining
            self.lifecycle.changed(space, self.ctx.clock.now())

    @operation
    def variables(self, actor: Actor | None, repo_id: str) -> dict[str, KeyValue]:
        return self._settings_reader(actor, repo_id).variables

    @operation
    def add_variable(
        self, actor: Actor | None, repo_id: str, key: str, value: str, description: str | None
    ) -> dict[str, KeyValue]:
        space = self.store.writable(actor, repo_id, "add variables to this Space")
        now = self.ctx.clock.now()
        space.variables = settings.upsert(space.variables, key, value, description, now)
        self.lifecycle.changed(space, now)
        return space.variables

    @operation
    def delete_variable(self, actor: Actor | None, repo_id: str, key: str) -> dict[str, KeyValue]:
        space = self.store.writable(actor, repo_id, "delete variables of this Space")
        remaining = settings.without(space.variables, key)
        if remaining is not None:
            space.variables = remaining
            self.lifecycle.changed(space, self.ctx.clock.now())
        return space.variables
