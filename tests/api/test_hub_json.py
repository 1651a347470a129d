"""Every JSON answer is labelled as the Hub labels its own: ``application/json; charset=utf-8``.

(The ``api`` and ``live`` fixtures also check this, and the Hub's schema, on every answer of
every test: tests/schema_check.py.)
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.app import create_app
from tests.conftest import WRITE
from tests.space_factory import add_space

HUB_JSON = "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/whoami-v2", 200),  # a Hub route
        ("GET", "/api/spaces/fakeuser/demo/variables", 200),
        ("GET", "/api/spaces/fakeuser/missing/runtime", 404),  # a domain error
        ("GET", "/api/models/gpt2", 501),  # a route fakehub does not fake
        ("GET", "/nowhere", 404),  # routing
        ("GET", "/_fakehub/health", 200),  # the control API
        ("POST", "/_fakehub/clock/advance", 400),  # a control error
    ],
)
def test_json_answers_carry_the_hubs_charset(
    api: TestClient, hub: FakeHub, method: str, path: str, status: int
) -> None:
    add_space(hub)
    response = api.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == HUB_JSON


def test_even_a_crash_answer_carries_it(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(hub.spaces, "zero_gpu_quota", boom)
    with TestClient(create_app(hub), raise_server_exceptions=False) as client:
        response = client.get("/api/spaces/zero-gpu/quota", headers=WRITE)
    assert (response.status_code, response.headers["content-type"]) == (500, HUB_JSON)


def test_variables_answer_is_the_recorded_one(api: TestClient, hub: FakeHub) -> None:
    # huggingface_hub's TestSpaceAPIProduction.test_manage_variables cassette, with our clock
    add_space(hub)
    base = "/api/spaces/fakeuser/demo/variables"
    assert api.post(base, json={"key": "foo", "value": "123"}).text == (
        '{"foo":{"value":"123","updatedAt":"2026-01-01T00:00:00.000Z"}}'
    )
    body = api.post(base, json={"key": "P", "value": "arXiv", "description": "found it"}).json()
    assert list(body["P"]) == ["value", "description", "updatedAt"]
    assert api.request("DELETE", base, json={"key": "foo"}).json() == {"P": body["P"]}
