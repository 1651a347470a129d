"""Serving the dashboard (files, ``GET /`` for browsers) and the ``/_fakehub/events`` stream."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from fakehub.dashboard.routes import FILES, prefers_html, serves_files_only
from fakehub.server import ServerThread

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_page_and_its_files_come_from_the_package(api: TestClient) -> None:
    page = api.get("/_fakehub/dashboard")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/_fakehub/dashboard/static/js/app.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, no network
    for path in FILES:
        response = api.get(f"/_fakehub/dashboard/static/{path}")
        assert response.status_code == 200, path
        assert "https://" not in response.text, f"{path} reaches for the network"
    script = api.get("/_fakehub/dashboard/static/js/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    again = api.get(
        "/_fakehub/dashboard/static/js/app.js", headers={"If-None-Match": script.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["../routes.py", "js/../../routes.py", "nope.js", "js"])
def test_only_the_shipped_files_are_served(api: TestClient, path: str) -> None:
    response = api.get(f"/_fakehub/dashboard/static/{path}")
    assert response.status_code == 404
    assert "no file" in response.json()["error"] or "Not found" in response.json()["error"]


def test_root_is_the_dashboard_for_browsers_only(api: TestClient) -> None:
    browser = api.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert browser.status_code == 200 and "<title>fakehub dashboard</title>" in browser.text
    client = api.get("/", headers={"Accept": "application/json"})
    assert client.status_code == 200 and client.json()["name"] == "fakehub"  # the landing JSON


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER_ACCEPT, True),
        ("text/html", True),
        ("application/json", False),
        ("*/*", False),
        ("", False),
        ("application/json, text/html;q=0.5", False),
        ("text/html;q=0", False),
        ("text/html;q=abc", False),
    ],
)
def test_prefers_html(accept: str, html: bool) -> None:
    assert prefers_html(accept) is html


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


def _events(lines: Iterator[str]) -> Iterator[tuple[str, dict[str, object]]]:
    name = ""
    for line in lines:
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            yield name, json.loads(line[6:])


def test_the_event_stream_says_when_the_fake_changed(server: ServerThread) -> None:
    with (
        httpx.Client(base_url=server.url, timeout=10) as client,
        client.stream("GET", "/_fakehub/events") as stream,
    ):
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = _events(stream.iter_lines())
        name, hello = next(events)
        assert name == "hello" and hello["version"] == 0
        client.post("/_fakehub/clock/advance", json={"seconds": "10m"})
        name, change = next(events)
        assert name == "change" and change["version"] == 1
        assert change["now"] == "2026-01-01T00:10:00.000Z"
        client.post("/_fakehub/faults", json={"route": "/api/x", "status": 503})
        name, change = next(events)
        assert (name, change["version"]) == ("change", 2)


def test_only_the_page_and_its_files_are_files_only() -> None:
    assert serves_files_only("/_fakehub/dashboard")
    assert serves_files_only("/_fakehub/dashboard/static/js/app.js")
    assert not serves_files_only("/_fakehub/dashboardx")
    assert not serves_files_only("/_fakehub/events")
    assert not serves_files_only("/_fakehub/spaces")
