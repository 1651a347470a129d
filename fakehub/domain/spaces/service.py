"""Space runtime operations (to be filled in): stages, hardware, sleep, secrets, variables, logs."""

from __future__ import annotations

from fakehub.context import HubContext
from fakehub.domain.spaces.store import SpaceStore


class SpaceService:
    def __init__(self, ctx: HubContext, store: SpaceStore) -> None:
        self.ctx = ctx
        self.store = store
