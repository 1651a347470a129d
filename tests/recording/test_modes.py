"""Record modes (none, once, new_episodes, all) through ``open_cassette``, as the plugin uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakehub.recording import (
    MISS_STATUS,
    CassetteNotFound,
    CassetteServer,
    load,
    open_cassette,
)
from fakehub.server import ServerThread
from tests.recording.conftest import http


def _advance(server: CassetteServer, seconds: int) -> str:
    with http(server) as client:
        answer = client.post("/_fakehub/clock/advance", json={"seconds": seconds})
    now: str = answer.json()["now"] if answer.status_code == 200 else str(answer.status_code)
    return now


def test_none_needs_the_cassette(tmp_path: Path) -> None:
    with pytest.raises(CassetteNotFound):
        open_cassette(tmp_path / "absent.yaml", "none", upstream="http://127.0.0.1:9")


def test_none_never_reaches_the_upstream(live: ServerThread, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    with open_cassette(path, "all", upstream=live.url) as server:
        _advance(server, 1)
    before = live.hub.now()
    with open_cassette(path, "none", upstream=live.url) as server:
        assert server.session.forwarder is None
        assert _advance(server, 60) == str(MISS_STATUS)
    assert live.hub.now() == before


def test_once_records_when_missing_then_replays(live: ServerThread, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    with open_cassette(path, "once", upstream=live.url) as server:
        first = _advance(server, 10)
    with open_cassette(path, "once", upstream=live.url) as server:
        assert server.session.forwarder is None
        assert _advance(server, 10) == first  # the recorded answer, not the upstream's next one


def test_new_episodes_appends_what_the_cassette_lacks(live: ServerThread, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    with open_cassette(path, "all", upstream=live.url) as server:
        first = _advance(server, 10)
    with open_cassette(path, "new_episodes", upstream=live.url) as server:
        assert _advance(server, 10) == first
        _advance(server, 5)
    bodies = [i.request.json_ for i in load(path).interactions]
    assert bodies == [{"seconds": 10}, {"seconds": 5}]


def test_all_overwrites(live: ServerThread, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    with open_cassette(path, "all", upstream=live.url) as server:
        _advance(server, 10)
    with open_cassette(path, "all", upstream=live.url) as server:
        _advance(server, 3)
    assert [i.request.json_ for i in load(path).interactions] == [{"seconds": 3}]


def test_unknown_mode_and_recording_without_upstream(tmp_path: Path) -> None:
    from fakehub.recording import CassetteSession

    with pytest.raises(ValueError, match=r"unknown record mode 'sometimes'"):
        CassetteSession(tmp_path / "c.yaml", "sometimes")
    with pytest.raises(ValueError, match=r"record mode 'all' records, so it needs an upstream"):
        CassetteSession(tmp_path / "c.yaml", "all")


def test_agent_harness_lookups_never_fail_a_replay(live: ServerThread, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    with open_cassette(path, "all", upstream=live.url):
        pass
    with open_cassette(path, "none") as server, http(server) as client:
        answer = client.get("/api/agent-harnesses")
        assert answer.json() == {"standardEnvVars": ["AI_AGENT", "AGENT"], "harnesses": {}}
        assert server.misses == []
