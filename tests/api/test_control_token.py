"""``--control-token``: the control API needs ``Authorization: Bearer TOKEN``; Hub routes do not.

Also: the state dump never carries anything derived from a secret value (finding 7).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.app import create_app
from fakehub.cli import build_parser, main
from fakehub.control.client import ControlClient, ControlError
from fakehub.control.guard import CONTROL_TOKEN_ENV, control_allowed
from fakehub.server import ServerThread
from tests.conftest import WRITE

TOKEN = "ctl-7f3a9"
CONTROL_ROUTES = [
    ("GET", "/_fakehub/health"),
    ("GET", "/_fakehub/state"),
    ("POST", "/_fakehub/reset"),
    ("POST", "/_fakehub/clock/advance"),
    ("GET", "/_fakehub/requests"),
    ("GET", "/_fakehub/openapi.json"),
    ("POST", "/_fakehub/faults"),
    ("GET", "/_fakehub/nothing-here"),
]


@pytest.fixture
def guarded(hub: FakeHub) -> Iterator[TestClient]:
    with TestClient(create_app(hub, control_token=TOKEN), base_url="http://fake.test") as client:
        yield client


@pytest.mark.parametrize(("method", "path"), CONTROL_ROUTES)
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer wrong",
        f"Basic {TOKEN}",
        f"Bearer {TOKEN}x",
        WRITE["authorization"],
    ],
)
def test_without_the_token_every_control_route_is_a_401_that_changes_nothing(
    guarded: TestClient, hub: FakeHub, method: str, path: str, authorization: str | None
) -> None:
    before = hub.dump()
    headers = {} if authorization is None else {"authorization": authorization}
    response = guarded.request(method, path, headers=headers, json={"seconds": 60})
    assert response.status_code == 401
    assert "control token" in response.json()["error"]
    assert "control token" in response.headers["x-error-message"]
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["x-request-id"]
    assert hub.dump() == before
    assert TOKEN not in response.text


def test_with_the_token_the_control_api_works_and_hub_routes_are_unchanged(
    guarded: TestClient, hub: FakeHub
) -> None:
    auth = {"authorization": f"Bearer {TOKEN}"}
    assert (
        guarded.post("/_fakehub/clock/advance", json={"seconds": 60}, headers=auth).status_code
        == 200
    )
    assert (
        guarded.get("/_fakehub/state", headers={"authorization": f"bearer  {TOKEN} "}).status_code
        == 200
    )
    # Hub routes keep their own Authorization (the caller's Hub token), control token or not
    assert guarded.get("/api/whoami-v2", headers=WRITE).json()["name"] == "fakeuser"
    assert guarded.get("/api/spaces").status_code == 200
    assert guarded.get("/api/whoami-v2", headers=auth).status_code == 401


def test_without_the_flag_nothing_changes(api: TestClient) -> None:
    assert api.get("/_fakehub/health", headers={"authorization": ""}).status_code == 200
    assert control_allowed(None, None) and control_allowed("Bearer anything", None)


def test_the_check_is_one_small_function() -> None:
    assert control_allowed(f"Bearer {TOKEN}", TOKEN)
    assert control_allowed(f"bearer {TOKEN}", TOKEN)
    assert not control_allowed(None, TOKEN)
    assert not control_allowed(TOKEN, TOKEN)  # the scheme is required
    assert not control_allowed(f"Bearer {TOKEN[:-1]}", TOKEN)


def test_fakehub_serve_takes_the_token_from_the_flag_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert build_parser().parse_args(["serve"]).control_token is None
    assert build_parser().parse_args(["serve", "--control-token", "t1"]).control_token == "t1"
    monkeypatch.setenv(CONTROL_TOKEN_ENV, "t2")
    assert build_parser().parse_args(["serve"]).control_token == "t2"
    assert build_parser().parse_args(["serve", "--control-token", "t3"]).control_token == "t3"


@pytest.fixture
def guarded_server() -> Iterator[ServerThread]:
    with ServerThread(FakeHub(), control_token=TOKEN) as server:
        yield server


def test_control_client_passes_the_token(
    guarded_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CONTROL_TOKEN_ENV, raising=False)
    anonymous = ControlClient(guarded_server.url)
    with pytest.raises(ControlError) as refused:
        anonymous.health()
    anonymous.close()
    assert refused.value.status == 401
    client = ControlClient(guarded_server.url, token=TOKEN)
    assert client.advance(60)["nowNs"] > 0
    client.close()
    monkeypatch.setenv(CONTROL_TOKEN_ENV, TOKEN)
    from_env = ControlClient(guarded_server.url)
    assert from_env.health()["status"] == "ok"
    from_env.close()


def test_fakehub_control_passes_the_token(
    guarded_server: ServerThread,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(CONTROL_TOKEN_ENV, raising=False)
    assert main(["control", "--url", guarded_server.url, "clock"]) == 1
    assert "control token" in capsys.readouterr().err
    argv = ["control", "--url", guarded_server.url, "--control-token", TOKEN, "advance", "90"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["now"] == "2026-01-01T00:01:30.000Z"
    assert main(["control", "clock", "--url", guarded_server.url, "--control-token", TOKEN]) == 0
    capsys.readouterr()
    monkeypatch.setenv(CONTROL_TOKEN_ENV, TOKEN)
    assert main(["control", "--url", guarded_server.url, "clock"]) == 0


def test_the_state_dump_shows_secrets_as_set_and_nothing_derived(
    api: TestClient, hub: FakeHub
) -> None:
    import hashlib

    create = {"name": "demo", "type": "space", "sdk": "gradio", "private": True}
    assert api.post("/api/repos/create", json=create).status_code == 200
    secret = {"key": "SHORT", "value": "abc"}
    assert api.post("/api/spaces/fakeuser/demo/secrets", json=secret).status_code == 200
    job = {"command": ["x"], "flavor": "cpu-basic", "dockerImage": "python:3.12",
           "secrets": {"A": "hunter2"}, "environment": {"HF_TOKEN": "hf_job_token"}}  # fmt: skip
    assert api.post("/api/jobs/fakeuser", json=job).status_code == 200
    text = api.get("/_fakehub/state").text
    for value in ("abc", "hunter2", "hf_job_token"):
        assert json.dumps(value) not in text
        assert hashlib.sha256(value.encode()).hexdigest()[:8] not in text
    assert '"<set>"' in text and "redacted" not in text
