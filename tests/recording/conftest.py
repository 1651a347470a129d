"""Fixtures for record/replay: the upstream is the shared ``live`` fakehub on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakehub.recording import CassetteServer, start_recording_proxy, start_replay_server
from fakehub.server import ServerThread
from tests.conftest import WRITE


@pytest.fixture
def cassette(tmp_path: Path) -> Path:
    return tmp_path / "session.yaml"


@pytest.fixture
def recorder(live: ServerThread, cassette: Path) -> Iterator[CassetteServer]:
    server = start_recording_proxy(live.url, cassette)
    yield server
    server.stop()


def http(server: CassetteServer | ServerThread) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=WRITE, timeout=10)


def replay(path: Path) -> CassetteServer:
    return start_replay_server(path)


def pytest_configure(config: pytest.Config) -> None:
    # The marker tests run a user's suite with pytester (shipped with pytest, off by default).
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
