"""``/_fakehub/requests`` (the request log) and ``/_fakehub/state`` (the dump) over HTTP."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from tests.conftest import READ
from tests.space_factory import add_space

JOB_SPEC = {
    "command": ["echo", "hi"],
    "flavor": "cpu-basic",
    "dockerImage": "python:3.12",
    "secrets": {"HF_TOKEN": "hf_job_secret_value"},
}


def logged(api: TestClient, **filters: object) -> list[dict[str, object]]:
    response = api.get("/_fakehub/requests", params=filters)
    assert response.status_code == 200, response.text
    entries: list[dict[str, object]] = response.json()["requests"]
    return entries


def test_the_log_records_what_the_client_asked_and_got(api: TestClient, hub: FakeHub) -> None:
    hub.advance(60)
    ok = api.get("/api/whoami-v2", params={"limit": 3})
    api.get("/api/whoami-v2", headers=READ)
    api.get("/api/whoami-v2", headers={"authorization": "Bearer hf_bogus"})
    api.get("/api/whoami-v2", headers={"authorization": ""})
    entries = logged(api)
    assert [(e["seq"], e["auth"], e["user"], e["role"], e["status"]) for e in entries] == [
        (1, "token", "fakeuser", "write", 200),
        (2, "token", "fakeuser", "read", 200),
        (3, "invalid", None, None, 401),
        (4, "anonymous", None, None, 401),
    ]
    first = entries[0]
    assert first["at"] == "2026-01-01T00:01:00.000Z"
    assert (first["method"], first["path"], first["query"]) == ("GET", "/api/whoami-v2", "limit=3")
    assert first["requestId"] == ok.headers["x-request-id"]
    assert first["fault"] is None
    text = json.dumps(entries)
    assert "hf_fake_write" not in text and "hf_fake_read" not in text and "hf_bogus" not in text


def test_control_calls_are_not_logged(api: TestClient) -> None:
    api.get("/_fakehub/health")
    api.post("/_fakehub/clock/advance", json={"seconds": 1})
    assert logged(api) == []


def test_filters_over_http(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    api.get("/api/spaces/fakeuser/demo/runtime")
    api.post("/api/spaces/fakeuser/demo/variables", json={"key": "A", "value": "1"})
    api.get("/api/spaces/fakeuser/nope/runtime")
    api.get("/api/whoami-v2")
    assert [e["seq"] for e in logged(api, method="POST")] == [2]
    assert [e["seq"] for e in logged(api, path="/api/spaces/")] == [1, 2, 3]
    assert [e["seq"] for e in logged(api, path="/api/spaces/*/runtime")] == [1, 3]
    assert [e["seq"] for e in logged(api, status="4xx")] == [3]
    assert [e["seq"] for e in logged(api, status=200, since=2)] == [4]
    assert [e["seq"] for e in logged(api, user="fakeuser", method="get")] == [1, 3, 4]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"stauts": "429"}, "unknown filter(s) ['stauts']"),
        ({"status": "four"}, "not a status"),
        ({"method": "FETCH"}, "unknown method"),
        ({"since": "-1"}, "since"),
        ({"path": "/api/{x"}, "malformed route template"),
    ],
)
def test_bad_filters_are_400_naming_them(
    api: TestClient, query: dict[str, str], message: str
) -> None:
    response = api.get("/_fakehub/requests", params=query)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_delete_empties_the_log_and_reset_too(api: TestClient) -> None:
    api.get("/api/whoami-v2")
    api.get("/api/whoami-v2")
    assert api.delete("/_fakehub/requests").json() == {"deleted": 2}
    assert logged(api) == []
    api.get("/api/whoami-v2")
    api.post("/_fakehub/reset")
    body = api.get("/_fakehub/requests").json()
    assert body == {"requests": [], "evicted": 0}


def test_state_dump_holds_spaces_and_jobs_with_secrets_redacted(
    api: TestClient, hub: FakeHub
) -> None:
    add_space(hub)
    secret = api.post(
        "/api/spaces/fakeuser/demo/secrets", json={"key": "API_KEY", "value": "space_secret_value"}
    )
    assert secret.status_code == 200
    job = api.post("/api/jobs/fakeuser", json=JOB_SPEC)
    assert job.status_code == 200, job.text
    state = api.get("/_fakehub/state")
    assert state.status_code == 200
    text = state.text
    assert "fakeuser/demo" in text and job.json()["id"] in text
    assert "API_KEY" in text
    for secret_value in ("space_secret_value", "hf_job_secret_value", "hf_fake_write"):
        assert secret_value not in text
    assert state.json() == hub.dump()
    assert api.get("/_fakehub/state").json() == state.json()  # reading changes nothing
