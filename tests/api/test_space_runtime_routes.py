"""Space runtime routes over in-process HTTP: status codes, headers, exact bodies, schema."""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.domain.accounts import Plan
from fakehub.domain.spaces.records import SpaceStage
from fakehub.timefmt import parse_iso
from tests.conftest import READ
from tests.openapi import assert_matches_openapi
from tests.space_factory import add_space

BASE = "/api/spaces/fakeuser/demo"
ISO_MS = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
NO_AUTH = {"authorization": ""}

MUTATIONS = [
    ("POST", "/hardware", {"flavor": "t4-small"}),
    ("POST", "/sleeptime", {"seconds": 600}),
    ("POST", "/pause", None),
    ("POST", "/restart", None),
    ("POST", "/dev-mode", {"enabled": False}),
    ("POST", "/storage", {"tier": "small"}),
    ("DELETE", "/storage", None),
    ("PUT", "/volumes", {"volumes": [{"type": "bucket", "source": "a/b", "mountPath": "/d"}]}),
    ("DELETE", "/volumes", None),
    ("POST", "/secrets", {"key": "A", "value": "b"}),
    ("DELETE", "/secrets", {"key": "A"}),
    ("POST", "/variables", {"key": "A", "value": "b"}),
    ("DELETE", "/variables", {"key": "A"}),
]


def send(api: TestClient, method: str, path: str, body: object = None, **kwargs: object):  # type: ignore[no-untyped-def]
    content = json.dumps(body).encode() if body is not None else None
    headers = {"content-type": "application/json"} if body is not None else {}
    headers.update(kwargs.pop("headers", {}))  # type: ignore[arg-type]
    return api.request(method, BASE + path, content=content, headers=headers, **kwargs)  # type: ignore[arg-type]


# -- runtime -------------------------------------------------------------------------------------


def test_runtime_of_a_fresh_space_matches_the_cassette(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    r = api.get(f"{BASE}/runtime")
    assert r.status_code == 200
    assert r.json() == {
        "stage": "BUILDING",
        "hardware": {"current": None, "requested": "cpu-basic"},
        "storage": None,
        "gcTimeout": 172800,
        "replicas": {"requested": 1},
        "devMode": False,
        "domains": [{"domain": "fakeuser-demo.hf.space", "stage": "READY"}],
    }


def test_runtime_is_public_for_public_spaces(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    hub.advance(40)
    r = api.get(f"{BASE}/runtime", headers=NO_AUTH)
    assert r.status_code == 200
    body = r.json()
    assert body["stage"] == "RUNNING"
    assert body["hardware"] == {"current": "cpu-basic", "requested": "cpu-basic"}
    assert body["replicas"] == {"requested": 1, "current": 1}


def test_unknown_space_is_repo_not_found(api: TestClient) -> None:
    r = api.get("/api/spaces/fakeuser/nope/runtime")
    assert r.status_code == 404
    assert r.headers["x-error-code"] == "RepoNotFound"
    assert r.headers["x-error-message"] == "Repository not found"
    assert r.json() == {"error": "Repository not found"}


@pytest.mark.parametrize(("method", "path", "body"), MUTATIONS)
def test_private_space_is_invisible_to_anonymous(
    api: TestClient, hub: FakeHub, method: str, path: str, body: object
) -> None:
    add_space(hub, visibility="private")
    r = send(api, method, path, body, headers=NO_AUTH)
    assert (r.status_code, r.headers.get("x-error-code")) == (404, "RepoNotFound")


@pytest.mark.parametrize(("method", "path", "body"), MUTATIONS)
def test_mutations_need_a_token(
    api: TestClient, hub: FakeHub, method: str, path: str, body: object
) -> None:
    space = add_space(hub)
    r = send(api, method, path, body, headers=NO_AUTH)
    assert r.status_code == 401
    assert "authenticated" in r.headers["x-error-message"]
    assert space.stage is SpaceStage.BUILDING


@pytest.mark.parametrize(("method", "path", "body"), MUTATIONS)
def test_mutations_refuse_read_tokens(
    api: TestClient, hub: FakeHub, method: str, path: str, body: object
) -> None:
    add_space(hub)
    r = send(api, method, path, body, headers=READ)
    assert r.status_code == 403
    assert "read-only" in r.headers["x-error-message"]
    assert r.json()["error"] == r.headers["x-error-message"]


def test_unknown_space_wins_over_a_bad_body(api: TestClient) -> None:
    r = api.post("/api/spaces/fakeuser/nope/hardware", content=b"not json")
    assert (r.status_code, r.headers["x-error-code"]) == (404, "RepoNotFound")


# -- hardware, sleep, pause, restart -------------------------------------------------------------


def test_request_hardware(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    hub.advance(40)
    r = api.post(f"{BASE}/hardware", json={"flavor": "t4-medium", "sleepTimeSeconds": 3600})
    assert r.status_code == 200
    body = r.json()
    assert body["stage"] == "RUNNING_BUILDING"
    assert body["hardware"] == {"current": "cpu-basic", "requested": "t4-medium"}
    assert body["gcTimeout"] == 3600


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"flavor": "gpu-9000"}, "flavor: unknown hardware flavor 'gpu-9000'"),
        ({"flavor": 3}, "flavor"),
        ({}, "flavor"),
        ({"flavor": "t4-small", "sleepTimeSeconds": "1h"}, "sleepTimeSeconds"),
        ({"flavor": "t4-small", "sleepTimeSeconds": 0}, "sleepTimeSeconds"),
    ],
)
def test_request_hardware_bad_input(
    api: TestClient, hub: FakeHub, body: dict[str, object], message: str
) -> None:
    space = add_space(hub)
    r = api.post(f"{BASE}/hardware", json=body)
    assert r.status_code == 400
    assert message in r.json()["error"]
    assert space.requested_hardware == "cpu-basic"


def test_paid_hardware_without_payment_method_is_402(api: TestClient, hub: FakeHub) -> None:
    hub.ctx.accounts.users["fakeuser"].plan = Plan.NO_PAYMENT_METHOD
    add_space(hub)
    r = api.post(f"{BASE}/hardware", json={"flavor": "a10g-small"})
    assert r.status_code == 402
    assert "payment method" in r.json()["error"]


def test_sleeptime(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    r = api.post(f"{BASE}/sleeptime", json={"seconds": 3600})
    assert (r.status_code, r.json()["gcTimeout"]) == (200, 172800)  # cpu-basic: fixed
    api.post(f"{BASE}/hardware", json={"flavor": "t4-small"})
    r = api.post(f"{BASE}/sleeptime", json={"seconds": -1})
    assert (r.status_code, r.json()["gcTimeout"]) == (200, -1)
    r = api.post(f"{BASE}/sleeptime", json={"seconds": True})
    assert r.status_code == 400


def test_pause_then_restart_as_the_cassette(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    r = api.post(f"{BASE}/pause")
    assert r.status_code == 200
    assert r.json()["stage"] == "PAUSED"
    assert r.json()["hardware"] == {"current": None, "requested": "cpu-basic"}
    r = api.post(f"{BASE}/restart")
    assert r.json()["stage"] == "BUILDING"
    r = api.post(f"{BASE}/restart?factory=true")
    assert r.json()["stage"] == "BUILDING"


def test_static_space_controls_are_400(api: TestClient, hub: FakeHub) -> None:
    add_space(hub, sdk="static")
    for path, body in [("/pause", None), ("/restart", None), ("/dev-mode", {"enabled": True})]:
        r = send(api, "POST", path, body)
        assert r.status_code == 400, path
        assert "static Space" in r.json()["error"]
    r = api.get(f"{BASE}/runtime")
    assert r.json() == {
        "stage": "RUNNING",
        "hardware": {"current": None, "requested": None},
        "storage": None,
        "replicas": {"requested": 1, "current": 1},
    }


# -- secrets and variables -----------------------------------------------------------------------


def test_secrets_are_write_only(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    r = api.post(f"{BASE}/secrets", json={"key": "HF_TOKEN", "value": "hf_x", "description": "t"})
    assert (r.status_code, r.json()) == (200, {})
    assert api.post(f"{BASE}/secrets", json={"key": "FOO", "value": "bar"}).json() == {}
    r = api.get(f"{BASE}/secrets")
    assert r.status_code == 200
    body = r.json()
    assert_matches_openapi("/api/spaces/{namespace}/{repo}/secrets", "get", 200, body)
    assert set(body) == {"HF_TOKEN", "FOO"}
    assert body["HF_TOKEN"]["description"] == "t"
    assert "description" not in body["FOO"]
    assert "hf_x" not in r.text and "bar" not in r.text
    r = api.request("DELETE", f"{BASE}/secrets", json={"key": "MISSING"})
    assert (r.status_code, r.json()) == (200, {})
    api.request("DELETE", f"{BASE}/secrets", json={"key": "FOO"})
    assert set(api.get(f"{BASE}/secrets").json()) == {"HF_TOKEN"}


def test_variables_sequence_as_the_cassette(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    assert api.get(f"{BASE}/variables").json() == {}
    r = api.post(f"{BASE}/variables", json={"key": "foo", "value": "123"})
    assert r.status_code == 200
    foo = r.json()["foo"]
    assert list(foo) == ["value", "updatedAt"]  # as recorded: no "key"
    assert foo["value"] == "123"
    hub.advance(0.25)
    body = api.post(
        f"{BASE}/variables",
        json={"key": "MODEL_PAPER", "value": "arXiv", "description": "found it there"},
    ).json()
    assert body["MODEL_PAPER"]["description"] == "found it there"
    assert body["foo"] == foo
    hub.advance(0.5)
    body = api.post(
        f"{BASE}/variables", json={"key": "foo", "value": "456", "description": "updated"}
    ).json()
    assert body["foo"]["value"] == "456"
    assert body["foo"]["updatedAt"] > foo["updatedAt"]
    for item in body.values():
        assert parse_iso(item["updatedAt"]) > 0
        assert len(item["updatedAt"]) == 24
    got = api.get(f"{BASE}/variables").json()
    assert got == body
    assert_matches_openapi("/api/spaces/{namespace}/{repo}/variables", "get", 200, got)
    r = api.request("DELETE", f"{BASE}/variables", json={"key": "nope"})
    assert (r.status_code, r.json()) == (200, body)
    r = api.request("DELETE", f"{BASE}/variables", json={"key": "foo"})
    assert set(r.json()) == {"MODEL_PAPER"}


@pytest.mark.parametrize("path", ["/secrets", "/variables"])
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"{", "not valid JSON"),
        (b"[]", "JSON object"),
        (b'{"value": "x"}', "key"),
        (b'{"key": "1ABC", "value": "x"}', "invalid key '1ABC'"),
        (b'{"key": "A", "value": 3}', "value"),
    ],
)
def test_settings_bad_bodies(
    api: TestClient, hub: FakeHub, path: str, raw: bytes, message: str
) -> None:
    space = add_space(hub)
    r = api.post(BASE + path, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert message in r.json()["error"]
    assert space.secrets == {} and space.variables == {}


def test_settings_listing_needs_membership(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    assert api.get(f"{BASE}/secrets", headers=NO_AUTH).status_code == 401
    assert api.get(f"{BASE}/variables", headers=READ).status_code == 200


# -- storage, volumes, dev mode ------------------------------------------------------------------


def test_storage(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    r = api.delete(f"{BASE}/storage")
    assert r.status_code == 400
    r = api.post(f"{BASE}/storage", json={"tier": "medium"})
    assert (r.status_code, r.json()["storage"]) == (200, "medium")
    r = api.post(f"{BASE}/storage", json={"tier": "small"})
    assert r.status_code == 400
    assert "downgrade" in r.json()["error"]
    r = api.delete(f"{BASE}/storage")
    assert (r.status_code, r.json()["storage"]) == (200, None)


def test_volumes(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    assert api.delete(f"{BASE}/volumes").status_code == 400
    volumes = [
        {"type": "bucket", "source": "fakeuser/b", "mountPath": "/data"},
        {"type": "model", "source": "fakeuser/m", "mountPath": "/m", "revision": "main", "readOnly": True},
    ]  # fmt: skip
    r = api.put(f"{BASE}/volumes", json={"volumes": volumes})
    assert r.status_code == 200
    assert api.get(f"{BASE}/runtime").json()["volumes"] == volumes
    r = api.put(f"{BASE}/volumes", json={"volumes": [{"type": "nfs", "source": "a/b", "mountPath": "/x"}]})  # fmt: skip
    assert r.status_code == 400
    assert "volumes[0].type" in r.json()["error"]
    assert api.get(f"{BASE}/runtime").json()["volumes"] == volumes
    assert api.delete(f"{BASE}/volumes").status_code == 200
    assert "volumes" not in api.get(f"{BASE}/runtime").json()


def test_dev_mode(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    r = api.post(f"{BASE}/dev-mode", json={"enabled": True})
    assert r.status_code == 402
    assert "PRO" in r.json()["error"]
    assert api.post(f"{BASE}/dev-mode", json={"enabled": False}).json()["devMode"] is False
    hub.ctx.accounts.users["fakeuser"].plan = Plan.PRO
    assert api.post(f"{BASE}/dev-mode", json={"enabled": True}).json()["devMode"] is True
    assert api.post(f"{BASE}/dev-mode", json={"enabled": "yes"}).status_code == 400


# -- logs ----------------------------------------------------------------------------------------


def _events(text: str) -> list[dict[str, str]]:
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: {")]


def test_logs_replay_then_close_once_running(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    hub.advance(40)
    for kind in ("build", "run"):
        r = api.get(f"{BASE}/logs/{kind}")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = _events(r.text)
        assert events, kind
        date = parsedate_to_datetime(r.headers["date"]).timestamp()
        for event in events:
            assert set(event) == {"data", "timestamp"}
            assert event["data"].endswith("\n")
            assert parse_iso(event["timestamp"]) / 1e9 <= date + 1
    run = _events(api.get(f"{BASE}/logs/run").text)
    assert run[0]["data"].startswith("===== Application Startup at 2026-01-01 00:00:30")
    assert run[0]["timestamp"] == "2026-01-01T00:00:30.000Z"
    assert len(_events(api.get(f"{BASE}/logs/build?tail=2").text)) == 2


def test_logs_errors(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    hub.advance(40)
    assert api.get("/api/spaces/fakeuser/nope/logs/run").headers["x-error-code"] == "RepoNotFound"
    assert api.get(f"{BASE}/logs/other").status_code == 400
    assert api.get(f"{BASE}/logs/run?tail=-1").status_code == 400


def test_build_error_logs(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    hub.spaces.script("fakeuser/demo", build="error", build_logs=["step 1", "exploded"])
    hub.advance(30)
    assert api.get(f"{BASE}/runtime").json()["stage"] == "BUILD_ERROR"
    texts = [e["data"] for e in _events(api.get(f"{BASE}/logs/build").text)]
    assert texts[-2:] == ["step 1\n", "exploded\n"]


# -- catalogue and account-wide routes -----------------------------------------------------------


def test_hardware_catalogue(api: TestClient) -> None:
    r = api.get("/api/spaces/hardware", headers=NO_AUTH)
    assert r.status_code == 200
    body = r.json()
    assert_matches_openapi("/api/spaces/hardware", "get", 200, body)
    by_name = {item["name"]: item for item in body}
    assert by_name["cpu-basic"]["unitCostUSD"] == 0
    assert by_name["cpu-basic"]["accelerator"] is None
    assert by_name["t4-small"]["unitCostMicroUSD"] == 6667
    assert by_name["a100x4"]["accelerator"]["quantity"] == "4"


def test_zero_gpu_quota(api: TestClient) -> None:
    r = api.get("/api/spaces/zero-gpu/quota")
    assert r.status_code == 200
    assert_matches_openapi("/api/spaces/zero-gpu/quota", "get", 200, r.json())
    assert r.json() == {"base": 300, "current": 300, "resetsAt": None, "overquotaUsed": 0}
    assert api.get("/api/spaces/zero-gpu/quota", headers=NO_AUTH).status_code == 401


def test_semantic_search(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    other = {"README.md": b"---\ntitle: Other\nsdk: gradio\n---\n", "app.py": b""}
    add_space(hub, "fakeuser/other-thing", files=other)
    add_space(hub, "fakeuser/secret-demo", visibility="private")
    hub.advance(40)
    r = api.get("/api/spaces/semantic-search", params={"q": "DEMO"}, headers=NO_AUTH)
    assert r.status_code == 200
    assert [item["id"] for item in r.json()] == ["fakeuser/demo"]
    item = r.json()[0]
    assert item["title"] == "Demo"
    assert item["runtime"]["stage"] == "RUNNING"
    r = api.get("/api/spaces/semantic-search", params={"q": "demo", "sdk": "docker"})
    assert r.json() == []
    r = api.get("/api/spaces/semantic-search", params={"q": "demo"})
    assert sorted(item["id"] for item in r.json()) == ["fakeuser/demo", "fakeuser/secret-demo"]
    assert api.get("/api/spaces/semantic-search").status_code == 400


def test_search_skips_non_running_unless_asked(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    assert api.get("/api/spaces/semantic-search", params={"q": "demo"}).json() == []
    r = api.get("/api/spaces/semantic-search", params={"q": "demo", "includeNonRunning": "True"})
    assert [item["id"] for item in r.json()] == ["fakeuser/demo"]


def test_templates_not_implemented(api: TestClient) -> None:
    r = api.get("/api/spaces/templates")
    assert r.status_code == 501
    assert "templates" in r.json()["error"]


def test_build_logs_follow_while_building_then_close(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    seen: list[dict[str, str]] = []
    with api.stream("GET", f"{BASE}/logs/build") as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if not line.startswith("data: {"):
                continue
            seen.append(json.loads(line[6:]))
            if len(seen) == 2:  # the replayed history: the build was queued
                hub.advance(30)  # the build finishes: its lines arrive, then the stream ends
    texts = [event["data"] for event in seen]
    assert texts[0].startswith("===== Build Queued")
    assert texts[2:] == [
        "--> RUN pip install --no-cache-dir -r requirements.txt\n",
        "DONE 4.2s\n",
        "--> Pushing image\n",
        "DONE 1.1s\n",
    ]
    assert {event["timestamp"] for event in seen[2:]} == {"2026-01-01T00:00:30.000Z"}
