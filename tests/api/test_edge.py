"""The edge and the gate (issue 14): one layer stamps, logs and guards every answer."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.app import create_app
from tests.conftest import WRITE
from tests.durable import Durable

JOB = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}


def test_a_refused_write_under_serve_state_is_stamped_and_logged_like_any_answer(
    tmp_path: Path,
) -> None:
    """The journal sits inside the edge: its 503 gets ``Date``, an id and a log entry."""
    hub = Durable(tmp_path / "state.db")
    hub.state.file.close()  # as if the disk went away
    refused = hub.client.post("/api/jobs/fakeuser", json=JOB)
    assert refused.status_code == 503
    assert refused.headers["date"] and refused.headers["x-request-id"].startswith("Root=1-")
    (entry,) = hub.hub.request_log.find(method="POST")
    assert (entry.status, entry.request_id) == (503, refused.headers["x-request-id"])


def test_requests_are_numbered_in_order_and_the_gate_still_applies_faults(hub: FakeHub) -> None:
    with TestClient(create_app(hub), headers=WRITE) as client:
        ids = [client.get("/api/whoami-v2").headers["x-request-id"] for _ in range(3)]
        assert ids == [f"Root=1-{n:08x}-fakehub" for n in (1, 2, 3)]
        traced = client.get("/api/whoami-v2", headers={"X-Amzn-Trace-Id": "Root=abc"})
        assert traced.headers["x-request-id"] == "Root=1-00000004-fakehub;Root=abc"
        client.post("/_fakehub/faults", json={"status": 429, "route": "/api/whoami-v2"})
        assert client.get("/api/whoami-v2").status_code == 429
        client.delete("/_fakehub/faults")
        assert client.get("/api/whoami-v2").status_code == 200
    assert [e.status for e in hub.request_log.find()] == [200, 200, 200, 200, 429, 200]
