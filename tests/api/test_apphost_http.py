"""Space app hosts over HTTP: by ``Host`` header on the fake's server (as on ``fakehub serve``),
and their scripts through the control API."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.domain.spaces.records import SpaceStage
from tests.space_factory import add_space

HOST = {"host": "fakeuser-demo.hf.space"}


@pytest.fixture
def running(hub: FakeHub) -> None:
    add_space(hub)
    hub.spaces.place("fakeuser/demo", SpaceStage.RUNNING)


@pytest.mark.usefixtures("running")
def test_host_header_reaches_the_app_not_the_hub(api: TestClient) -> None:
    page = api.get("/api/whoami-v2", headers=HOST)  # a Hub path, but on the app's host
    assert page.status_code == 200
    assert page.headers["x-fakehub-space-stage"] == "RUNNING"
    assert "fakeuser/demo" in page.text
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert api.get("/api/whoami-v2").json()["name"] == "fakeuser"  # the Hub still answers


@pytest.mark.usefixtures("running")
def test_forwarded_host_counts_as_the_host(api: TestClient) -> None:
    page = api.get("/", headers={"x-forwarded-host": "fakeuser-demo.hf.space"})
    assert page.headers["x-fakehub-space-stage"] == "RUNNING"


@pytest.mark.usefixtures("running")
def test_head_has_no_body(api: TestClient) -> None:
    head = api.head("/", headers=HOST)
    assert (head.status_code, head.content) == (200, b"")


@pytest.mark.usefixtures("running")
def test_control_api_scripts_app_answers(api: TestClient) -> None:
    body = {
        "app": {
            "/health": {"status": 503, "body": "warming up", "headers": {"Retry-After": "1"}},
            "/api/items": {"body": "[1, 2]", "headers": {"Content-Type": "application/json"}},
        }
    }
    assert api.post("/_fakehub/spaces/fakeuser/demo/outcome", json=body).status_code == 200
    health = api.get("/health", headers=HOST)
    assert (health.status_code, health.text, health.headers["retry-after"]) == (
        503,
        "warming up",
        "1",
    )
    items = api.post("/api/items", headers=HOST)
    assert items.json() == [1, 2]
    assert items.headers["content-type"].startswith("application/json")


@pytest.mark.usefixtures("running")
@pytest.mark.parametrize(
    ("app", "message"),
    [
        ({"/h": {"status": 99}}, "not an HTTP status"),
        ({"h": {}}, "must start with '/'"),
        ({"/h": {"latency": "soon"}}, "latency"),
        ({"/h": {"stauts": 200}}, "stauts"),
        ({"/h": {"status": "200"}}, "status"),
    ],
)
def test_bad_app_scripts_are_a_400_that_changes_nothing(
    api: TestClient, hub: FakeHub, app: dict[str, object], message: str
) -> None:
    before = hub.space_store.get("fakeuser/demo").script  # type: ignore[union-attr]
    response = api.post("/_fakehub/spaces/fakeuser/demo/outcome", json={"app": app})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert hub.space_store.get("fakeuser/demo").script == before  # type: ignore[union-attr]


@pytest.mark.usefixtures("running")
def test_app_host_requests_are_in_the_request_log(api: TestClient) -> None:
    api.get("/health", headers=HOST)
    entries = api.get("/_fakehub/requests").json()["requests"]
    assert [(e["host"], e["path"]) for e in entries] == [("fakeuser-demo.hf.space", "/health")]


def test_fakehub_serve_answers_app_hosts_by_host_header() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "serve", "--port", "0", "--scenario", "sleep-and-wake"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = ""
        for line in proc.stdout:
            if "serving the Hub API at " in line:
                url = line.split(" at ")[1].strip()
            if line.startswith("  curl -H 'Host:"):
                break
        host = {"host": "fakeuser-sleepy.hf.space"}
        with httpx.Client(base_url=url, timeout=10) as client:
            page = client.get("/", headers=host)
            assert (page.status_code, page.headers["x-fakehub-space-stage"]) == (200, "RUNNING")
            client.post("/_fakehub/clock/advance", json={"seconds": 3601})
            stage = client.get("/api/spaces/fakeuser/sleepy/runtime").json()["stage"]
            assert stage == "SLEEPING"
            woken = client.get("/", headers=host)
            assert (woken.status_code, woken.headers["x-fakehub-space-stage"]) == (
                503,
                "APP_STARTING",
            )
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


SCENARIO = """
version: 1
name: app-health
spaces:
  - id: fakeuser/api
    sdk: docker
    stage: RUNNING
    files:
      Dockerfile: "FROM python:3.12\\n"
    script:
      app:
        /health:
          status: 200
          body: '{"ok": true}'
          headers:
            Content-Type: application/json
        /slow:
          status: 504
          latency: 0
"""


def test_scenarios_script_app_answers(api: TestClient) -> None:
    loaded = api.post("/_fakehub/scenario", json={"yaml": SCENARIO})
    assert loaded.status_code == 200, loaded.text
    host = {"host": "fakeuser-api.hf.space"}
    health = api.get("/health", headers=host)
    assert (health.status_code, health.json()) == (200, {"ok": True})
    assert api.get("/slow", headers=host).status_code == 504
    assert api.get("/", headers=host).status_code == 200
