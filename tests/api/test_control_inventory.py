"""The dashboard's read routes: overview, pages of Spaces and Jobs, one of each in detail."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.domain import history
from fakehub.domain.history import StageHistory, StageMark
from tests.space_factory import add_space

JOB = {"dockerImage": "python:3.12", "command": ["python", "-c", "print(1)"], "flavor": "cpu-basic"}


def _job(api: TestClient, **extra: Any) -> dict[str, Any]:
    response = api.post("/api/jobs/fakeuser", json=JOB | extra)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_spaces_page_filters_and_pages(api: TestClient, hub: FakeHub) -> None:
    for name in ("alpha", "beta", "gamma"):
        add_space(hub, f"fakeuser/{name}", hardware="t4-small")
    hub.advance(60)
    add_space(hub, "fakeuser/late")
    page = api.get("/_fakehub/spaces", params={"limit": 2}).json()
    assert page["total"] == 4 and [s["id"] for s in page["items"]] == [
        "fakeuser/alpha",
        "fakeuser/beta",
    ]
    first = page["items"][0]
    assert first["stage"] == "RUNNING"
    assert first["hardware"] == {"requested": "t4-small", "current": "t4-small"}
    assert first["costMicroUsd"] > 0
    building = api.get("/_fakehub/spaces", params={"stage": "BUILDING"}).json()
    assert [s["id"] for s in building["items"]] == ["fakeuser/late"]
    assert api.get("/_fakehub/spaces", params={"q": "AMM", "offset": 0}).json()["total"] == 1


@pytest.mark.parametrize(
    "query",
    [{"stage": "RUNNNG"}, {"limit": "501"}, {"offset": "-1"}, {"limit": "x"}, {"sort": "id"}],
)
def test_bad_page_parameters_are_a_400_naming_them(api: TestClient, query: dict[str, str]) -> None:
    response = api.get("/_fakehub/spaces", params=query)
    assert response.status_code == 400
    assert next(iter(query)) in response.json()["error"]


def test_space_detail_has_history_charges_and_secret_keys_only(
    api: TestClient, hub: FakeHub
) -> None:
    add_space(hub, "fakeuser/demo", hardware="t4-small")
    api.post("/api/spaces/fakeuser/demo/secrets", json={"key": "HF_SECRET", "value": "s3cr3t-v"})
    api.post("/api/spaces/fakeuser/demo/variables", json={"key": "MODE", "value": "fast"})
    hub.advance(120)
    response = api.get("/_fakehub/spaces/fakeuser/demo")
    assert response.status_code == 200
    assert "s3cr3t-v" not in response.text
    body = response.json()
    assert body["secretKeys"] == ["HF_SECRET"]
    assert body["variables"] == [{"key": "MODE", "value": "fast", "description": None}]
    assert {f["path"] for f in body["files"]} == {"README.md", "app.py"}
    stages = [m["stage"] for m in body["history"]["marks"]]
    # a secret and a variable each restart the build: the history keeps every restart
    assert stages == ["BUILDING", "BUILDING", "BUILDING", "APP_STARTING", "RUNNING"]
    assert body["stage"] == "RUNNING"
    times = [m["atNs"] for m in body["history"]["marks"]]
    assert times == sorted(times)
    assert body["charges"] and body["charges"][-1]["flavor"] == "t4-small"
    assert body["charges"][-1]["endNs"] is None
    assert api.get("/_fakehub/spaces/fakeuser/nope").status_code == 404


def test_jobs_page_newest_first_and_detail_with_logs_from(api: TestClient, hub: FakeHub) -> None:
    first = _job(api)
    hub.advance(1)
    second = _job(api, secrets={"TOKEN": "tok-value-1"})
    hub.advance(20)
    page = api.get("/_fakehub/jobs").json()
    assert [j["id"] for j in page["items"]] == [second["id"], first["id"]]
    assert page["items"][0]["stage"] == "RUNNING"
    assert api.get("/_fakehub/jobs", params={"stage": "COMPLETED"}).json()["total"] == 0
    response = api.get(f"/_fakehub/jobs/fakeuser/{second['id']}")
    assert "tok-value-1" not in response.text
    detail = response.json()
    assert detail["secretKeys"] == ["TOKEN"]
    assert [m["stage"] for m in detail["history"]["marks"]] == ["SCHEDULING", "RUNNING"]
    assert detail["metrics"]["cpu_millicores"] > 0
    lines = detail["logs"]["lines"]
    assert lines and detail["logs"]["next"] == len(lines)
    later = api.get(f"/_fakehub/jobs/fakeuser/{second['id']}", params={"logsFrom": len(lines)})
    assert later.json()["logs"]["lines"] == []
    assert api.get(f"/_fakehub/jobs/otheruser/{second['id']}").status_code == 404
    bad = api.get(f"/_fakehub/jobs/fakeuser/{second['id']}", params={"logsFrom": "a"})
    assert bad.status_code == 400


def test_overview_counts_by_stage(api: TestClient, hub: FakeHub) -> None:
    add_space(hub, "fakeuser/demo")
    _job(api)
    api.post("/_fakehub/faults", json={"route": "/api/nothing", "status": 503})
    body = api.get("/_fakehub/overview").json()
    assert body["spaces"]["byStage"] == {"BUILDING": 1}
    assert body["jobs"]["byStage"] == {"SCHEDULING": 1}
    assert body["faults"] == 1 and body["requests"] >= 1
    assert body["clock"]["mode"] == "manual"


def test_scheduled_jobs_show_next_and_last_run(api: TestClient, hub: FakeHub) -> None:
    body = {"jobSpec": JOB, "schedule": "@hourly"}
    assert api.post("/api/scheduled-jobs/fakeuser", json=body).status_code == 200
    item = api.get("/_fakehub/scheduled-jobs").json()["items"][0]
    assert item["schedule"] == "@hourly" and item["lastRun"] is None
    assert item["nextRunAt"] == "2026-01-01T01:00:00.000Z"
    hub.advance(3600)
    item = api.get("/_fakehub/scheduled-jobs").json()["items"][0]
    assert item["lastRun"]["at"] == "2026-01-01T01:00:00.000Z"
    assert api.get("/_fakehub/scheduled-jobs", params={"stage": "RUNNING"}).status_code == 400


def test_shipped_scenarios_are_listed(api: TestClient) -> None:
    names = [s["name"] for s in api.get("/_fakehub/scenarios").json()["scenarios"]]
    assert "happy-deploy" in names and names == sorted(names)


def test_history_is_bounded_and_counts_what_it_dropped() -> None:
    kept = StageHistory()
    for index in range(history.LIMIT + 5):
        kept.record(StageMark(index, "RUNNING"))
    assert len(kept.marks) == history.LIMIT and kept.dropped == 5
    assert kept.marks[0].at_ns == 5
