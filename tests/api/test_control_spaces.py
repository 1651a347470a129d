"""``/_fakehub/spaces/{namespace}/{name}/outcome`` and ``/visit``, driven over HTTP."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.domain.spaces.records import SpaceScript

BASE = "/api/spaces/fakeuser/demo"
OUTCOME = "/_fakehub/spaces/fakeuser/demo/outcome"


def _advance(api: TestClient, seconds: float | str) -> None:
    assert api.post("/_fakehub/clock/advance", json={"seconds": seconds}).status_code == 200


def _stage(api: TestClient) -> str:
    stage: str = api.get(f"{BASE}/runtime").json()["stage"]
    return stage


def _log(api: TestClient, kind: str) -> list[str]:
    text = api.get(f"{BASE}/logs/{kind}").text
    return [
        json.loads(line[6:])["data"] for line in text.splitlines() if line.startswith("data: {")
    ]


def _commit_app(api: TestClient) -> None:
    lines = [
        {"key": "header", "value": {"summary": "add app", "description": ""}},
        {
            "key": "file",
            "value": {
                "path": "app.py",
                "content": base64.b64encode(b"import gradio\n").decode(),
                "encoding": "base64",
            },
        },
    ]
    response = api.post(
        f"{BASE}/commit/main",
        content="".join(json.dumps(line) + "\n" for line in lines).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def space(api: TestClient) -> str:
    """A Gradio Space created through the API, with no app file yet."""
    response = api.post(
        "/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"}
    )
    assert response.status_code == 200, response.text
    return "fakeuser/demo"


def test_a_scripted_build_error_ends_the_next_build(api: TestClient, space: str) -> None:
    response = api.post(
        OUTCOME,
        json={
            "build": "error",
            "buildLogs": ["Collecting torch", "ERROR: No matching distribution"],
            "errorMessage": "pip install failed",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["stage"] == _stage(api) != "BUILD_ERROR"
    _commit_app(api)
    assert _stage(api) == "BUILDING"
    _advance(api, 29)
    assert _stage(api) == "BUILDING"
    _advance(api, 1)
    runtime = api.get(f"{BASE}/runtime").json()
    assert (runtime["stage"], runtime["errorMessage"]) == ("BUILD_ERROR", "pip install failed")
    assert _log(api, "build")[-2:] == ["Collecting torch\n", "ERROR: No matching distribution\n"]


def test_a_scripted_crash_comes_n_seconds_after_running(api: TestClient, space: str) -> None:
    body = {"crashAfter": "90s", "runLogs": ["serving on :7860"], "errorMessage": "Killed"}
    assert api.post(OUTCOME, json=body).status_code == 200
    _commit_app(api)
    _advance(api, 40)  # build 30 s, start 10 s
    assert _stage(api) == "RUNNING"
    assert "serving on :7860\n" in _log(api, "run")
    _advance(api, 89)
    assert _stage(api) == "RUNNING"
    _advance(api, 1)
    runtime = api.get(f"{BASE}/runtime").json()
    assert (runtime["stage"], runtime["errorMessage"]) == ("RUNTIME_ERROR", "Killed")


def test_scripting_a_running_space_arms_its_crash_from_now(api: TestClient, space: str) -> None:
    _commit_app(api)
    _advance(api, "10m")
    assert api.post(OUTCOME, json={"crashAfter": 60}).json()["stage"] == "RUNNING"
    _advance(api, 59.5)
    assert _stage(api) == "RUNNING"
    _advance(api, 0.5)
    assert _stage(api) == "RUNTIME_ERROR"


def test_crash_after_zero_crashes_a_running_app_at_once(api: TestClient, space: str) -> None:
    _commit_app(api)
    _advance(api, 40)
    runtime = api.post(OUTCOME, json={"crashAfter": 0, "errorMessage": "segfault"}).json()
    assert (runtime["stage"], runtime["errorMessage"]) == ("RUNTIME_ERROR", "segfault")
    assert runtime == api.get(f"{BASE}/runtime").json()


def test_an_empty_script_goes_back_to_success(api: TestClient, hub: FakeHub, space: str) -> None:
    api.post(OUTCOME, json={"build": "error"})
    assert api.post(OUTCOME, json={}).status_code == 200
    assert hub.space_store.get(space).script == SpaceScript()  # type: ignore[union-attr]
    _commit_app(api)
    _advance(api, 40)
    assert _stage(api) == "RUNNING"


def test_snake_case_names_are_accepted_too(api: TestClient, hub: FakeHub, space: str) -> None:
    assert api.post(OUTCOME, json={"crash_after": "2m", "run_logs": ["hi"]}).status_code == 200
    script = hub.space_store.get(space).script  # type: ignore[union-attr]
    assert (script.crash_after, script.run_logs) == (120.0, ("hi",))


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"build": "maybe"}, "build"),
        ({"build": 1}, "build"),
        ({"buildLogs": "one line"}, "buildLogs"),
        ({"buildLogs": ["ok", 3]}, "buildLogs"),
        ({"runLogs": [None]}, "runLogs"),
        ({"crashAfter": -5}, "crashAfter"),
        ({"crashAfter": "-5m"}, "crashAfter"),
        ({"crashAfter": "soon"}, "crashAfter"),
        ({"crashAfter": True}, "crashAfter"),
        ({"crashAfter": [10]}, "crashAfter"),
        ({"crashAfter": "1000y"}, "crashAfter"),
        ({"errorMessage": 7}, "errorMessage"),
        ({"errorMessage": ""}, "errorMessage"),
        ({"crash_After": 5}, "crash_After"),
        ({"build": "error", "colour": "red"}, "colour"),
        ([], "JSON object"),
        ("error", "JSON object"),
    ],
)
def test_bad_bodies_are_a_400_naming_the_field_and_change_nothing(
    api: TestClient, hub: FakeHub, space: str, body: Any, named: str
) -> None:
    assert api.post(OUTCOME, json={"runLogs": ["before"]}).status_code == 200
    before = hub.dump()
    response = api.post(OUTCOME, json=body)
    assert response.status_code == 400
    assert named in response.json()["error"]
    assert hub.space_store.get(space).script == SpaceScript(run_logs=("before",))  # type: ignore[union-attr]
    assert hub.dump() == before


@pytest.mark.parametrize("raw", [b"", b"{not json", b'{"crashAfter": Infinity}', b"NaN"])
def test_unparseable_bodies_are_a_400(api: TestClient, space: str, raw: bytes) -> None:
    response = api.post(OUTCOME, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]


def test_an_unknown_space_is_a_404(api: TestClient) -> None:
    response = api.post("/_fakehub/spaces/fakeuser/nope/outcome", json={"build": "error"})
    assert response.status_code == 404
    assert response.headers["x-error-code"] == "RepoNotFound"
    assert "fakeuser/nope" in response.json()["error"]
    # The body is checked first: a bad body on an unknown Space is a 400.
    assert api.post("/_fakehub/spaces/fakeuser/nope/outcome", json=[]).status_code == 400


def test_visit_wakes_a_sleeping_space(api: TestClient, space: str) -> None:
    _commit_app(api)
    _advance(api, 40)
    visit = api.post("/_fakehub/spaces/fakeuser/demo/visit")
    assert visit.json() == {"id": "fakeuser/demo", "stage": "RUNNING"}
    _advance(api, "48h")
    assert _stage(api) == "SLEEPING"
    assert api.post("/_fakehub/spaces/fakeuser/demo/visit").json()["stage"] == "APP_STARTING"
    response = api.post("/_fakehub/spaces/fakeuser/nope/visit")
    assert response.status_code == 404
    assert "fakeuser/nope" in response.json()["error"]


def test_the_outcome_body_is_documented(api: TestClient) -> None:
    document = api.get("/_fakehub/openapi.json").json()
    operation = document["paths"]["/_fakehub/spaces/{namespace}/{name}/outcome"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    body = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert set(body["properties"]) == {
        "build",
        "buildLogs",
        "runLogs",
        "crashAfter",
        "errorMessage",
        "app",
    }
    assert body["additionalProperties"] is False
    assert (
        "visit"
        in document["paths"]["/_fakehub/spaces/{namespace}/{name}/visit"]["post"]["summary"].lower()
    )
