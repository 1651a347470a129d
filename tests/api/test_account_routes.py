"""whoami-v2, the agent-harness side route, and the generic error framing."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import READ
from tests.openapi import assert_matches_openapi


def test_whoami_matches_the_hub_schema(api: TestClient) -> None:
    response = api.get("/api/whoami-v2")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "fakeuser"
    assert body["auth"]["accessToken"]["role"] == "write"
    assert [org["name"] for org in body["orgs"]] == ["fakeorg"]
    assert_matches_openapi("/api/whoami-v2", "get", 200, body)


def test_whoami_with_the_read_token_says_read(api: TestClient) -> None:
    body = api.get("/api/whoami-v2", headers=READ).json()
    assert body["auth"]["accessToken"]["role"] == "read"


def test_unknown_token_is_refused_with_the_hub_message(api: TestClient) -> None:
    response = api.get("/api/whoami-v2", headers={"authorization": "Bearer hf_nope"})
    assert response.status_code == 401
    assert response.headers["x-error-message"] == "Invalid credentials in Authorization header"
    assert response.json() == {"error": "Invalid credentials in Authorization header"}


def test_no_token_on_whoami_is_401(api: TestClient) -> None:
    response = api.get("/api/whoami-v2", headers={"authorization": ""})
    assert response.status_code == 401


def test_agent_harnesses_is_an_empty_registry(api: TestClient) -> None:
    assert api.get("/api/agent-harnesses").json() == {
        "standardEnvVars": ["AI_AGENT", "AGENT"],
        "harnesses": {},
    }


def test_hub_routes_fakehub_does_not_fake_answer_501_naming_the_route(api: TestClient) -> None:
    response = api.post("/api/models/foo/bar/commit/main")
    assert response.status_code == 501
    assert "POST /api/models/foo/bar/commit/main" in response.json()["error"]


def test_date_header_comes_from_the_virtual_clock(api: TestClient) -> None:
    assert api.get("/_fakehub/health").headers["date"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    api.post("/_fakehub/clock/advance", json={"seconds": "1d"})
    assert api.get("/_fakehub/health").headers["date"] == "Fri, 02 Jan 2026 00:00:00 GMT"
