"""Job operations (to be filled in)."""

from __future__ import annotations

from fakehub.context import HubContext


class JobService:
    def __init__(self, ctx: HubContext) -> None:
        self.ctx = ctx
