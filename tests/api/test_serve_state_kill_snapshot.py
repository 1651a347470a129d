"""A real ``fakehub serve --state`` killed with SIGKILL while its snapshot process is mid-way."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

from tests.state_server import StateServer, serving

EVERY = 30  # journaled writes between two snapshots
ROUNDS = 10


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as listed:
            found += [int(child) for child in listed.read().split()]
    return found


def _create(server: StateServer, names: list[str]) -> None:
    for name in names:
        body = {"type": "space", "name": name, "sdk": "gradio"}
        assert server.client.post("/api/repos/create", json=body).status_code == 200


def _stop_a_snapshot(server: StateServer, created: list[str]) -> int:
    """Write until a snapshot process is caught alive; stop it (SIGSTOP) there; its pid."""
    for round_ in range(ROUNDS):
        names = [f"r{round_}-{i}" for i in range(EVERY)]
        _create(server, names)  # the last one forked the snapshot process before it answered
        created += names
        for child in _children(server.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGSTOP)
                return child
    raise AssertionError(f"no snapshot process seen alive in {ROUNDS} rounds")


def test_sigkill_while_a_snapshot_is_taken_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    created: list[str] = []
    with serving(path, "--snapshot-every", str(EVERY)) as server:
        child = _stop_a_snapshot(server, created)
        later = [f"later-{i}" for i in range(5)]
        _create(server, later)  # acknowledged while the snapshot is stuck half-way
        created += later
        before = server.client.get("/_fakehub/state").json()
        server.kill()
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
        port = server.port
    with serving(path, "--snapshot-every", str(EVERY), port=port) as again:
        assert again.port == port  # the snapshot process kept no socket of the killed server
        listed = again.client.get("/api/spaces", params={"author": "fakeuser", "limit": 1000})
        assert {s["id"] for s in listed.json()} == {f"fakeuser/{name}" for name in created}
        assert again.client.get("/_fakehub/state").json() == before
