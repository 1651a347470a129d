"""An in-process ``serve --state`` hub for tests: a TestClient over a journaled app."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.store import DurableState, StateFile
from tests.conftest import WRITE


class Durable:
    """A hub on a state file, as ``fakehub serve --state`` runs it (restored on start)."""

    def __init__(
        self,
        path: Path,
        config: HubConfig | None = None,
        control_token: str | None = None,
        **options: Any,
    ) -> None:
        self.hub = FakeHub(config or HubConfig())
        self.state = DurableState(StateFile.open(path), self.hub, **options)
        hooks = self.state.hooks()
        self.app = create_app(self.hub, journal=hooks, control_token=control_token)
        self.replayed = asyncio.run(self.state.restore(self.app))
        self.client = TestClient(self.app, base_url="http://fake.test")
        self.client.headers.update(WRITE)

    def dump(self) -> Any:
        return self.client.get("/_fakehub/state").json()

    def crash(self) -> None:
        """Stop as a kill -9 would: no last snapshot, the file just closed."""
        self.client.close()
        self.state.file.close()

    def stop(self) -> None:
        """A clean shutdown."""
        self.client.close()
        self.state.close()
