"""Space repository operations (to be filled in): create, delete, info, list, duplicate, commits."""

from __future__ import annotations

from fakehub.context import HubContext
from fakehub.domain.spaces.service import SpaceService
from fakehub.domain.spaces.store import SpaceStore


class SpaceRepos:
    def __init__(self, ctx: HubContext, store: SpaceStore, runtime: SpaceService) -> None:
        self.ctx = ctx
        self.store = store
        self.runtime = runtime
