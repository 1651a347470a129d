"""A bug in the fake becomes a stamped 500 and a kept traceback, wherever it happens."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.app import create_app
from tests.conftest import WRITE


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_a_crash_in_a_route_is_a_stamped_logged_500(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(hub)
    monkeypatch.setattr(hub.spaces, "zero_gpu_quota", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/spaces/zero-gpu/quota", headers=WRITE)
    assert response.status_code == 500
    assert response.json() == {"error": "Internal error in fakehub: RuntimeError: boom"}
    assert response.headers["date"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert "x-request-id" in response.headers
    assert [e.status for e in hub.request_log.find()] == [500]
    (error,) = app.state.server_errors
    assert error.path == "/api/spaces/zero-gpu/quota" and "RuntimeError: boom" in error.traceback


def test_a_crash_in_the_request_log_itself_is_kept_too(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(hub)
    monkeypatch.setattr("fakehub.middleware.requestlog.caller_of", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/whoami-v2", headers=WRITE)
    assert response.status_code == 500
    assert len(app.state.server_errors) == 1


def test_non_ascii_in_an_error_message_stays_readable_and_never_breaks_the_headers(
    api: TestClient,
) -> None:
    response = api.post("/_fakehub/spaces/fakeuser/caf\u00e9/outcome", json={})
    assert response.status_code == 404
    assert response.json()["error"] == "Space fakeuser/caf\u00e9 not found"
    assert response.headers["x-error-message"] == "Space fakeuser/caf\\xe9 not found"


def test_fault_headers_must_be_ascii(api: TestClient) -> None:
    response = api.post(
        "/_fakehub/faults", json={"status": 503, "headers": {"X-Reason": "caf\u00e9"}}
    )
    assert response.status_code == 400
    assert "ASCII" in response.json()["error"]
