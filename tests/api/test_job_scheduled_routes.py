"""Scheduled jobs over HTTP: create, list, inspect, suspend/resume, trigger, labels, reschedule."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from tests.openapi import assert_matches_openapi

ITEM = "/api/scheduled-jobs/{namespace}/{jobId}"
BODY: dict[str, Any] = {
    "jobSpec": {
        "command": ["python", "-c", "print('hi')"],
        "arguments": [],
        "environment": {},
        "flavor": "cpu-basic",
        "secrets": {"HF_TOKEN": "hf_x"},
        "timeoutSeconds": 300,
        "dockerImage": "python:3.12",
        "labels": {"team": "ml"},
    },
    "schedule": "@hourly",
}


def _create(api: TestClient, **extra: Any) -> dict[str, Any]:
    response = api.post("/api/scheduled-jobs/fakeuser", json={**BODY, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_and_fire_hourly(api: TestClient, hub: FakeHub) -> None:
    created = _create(api)
    assert_matches_openapi("/api/scheduled-jobs/{namespace}", "post", 200, created)
    assert created["status"] == {"lastJob": None, "nextJobRunAt": "2026-01-01T01:00:00.000Z"}
    assert created["jobSpec"]["secrets"] == ["HF_TOKEN"] and created["jobSpec"]["timeout"] == 300
    hub.advance(3 * 3600 + 1)
    sid = created["id"]
    inspected = api.get(f"/api/scheduled-jobs/fakeuser/{sid}").json()
    assert_matches_openapi(ITEM, "get", 200, inspected)
    assert inspected["status"]["nextJobRunAt"] == "2026-01-01T04:00:00.000Z"
    assert inspected["status"]["lastJob"]["at"] == "2026-01-01T03:00:00.000Z"
    runs = api.get("/api/jobs/fakeuser").json()
    assert [run["createdAt"] for run in runs] == [
        "2026-01-01T03:00:00.000Z",
        "2026-01-01T02:00:00.000Z",
        "2026-01-01T01:00:00.000Z",
    ]
    assert all(run["initiator"] == {"type": "scheduled-job", "id": sid} for run in runs)
    assert runs[0]["id"] == inspected["status"]["lastJob"]["id"]
    assert runs[2]["status"]["stage"] == "COMPLETED"


def test_suspend_resume_trigger_labels_reschedule_delete(api: TestClient, hub: FakeHub) -> None:
    sid = _create(api)["id"]
    base = f"/api/scheduled-jobs/fakeuser/{sid}"
    assert api.post(f"{base}/suspend").json()["suspend"] is True
    hub.advance(7200)
    assert api.get("/api/jobs/fakeuser").json() == []
    assert api.post(f"{base}/resume").json()["suspend"] is False
    run = api.post(f"{base}/run")
    assert_matches_openapi(f"{ITEM}/run", "post", 200, run.json())
    busy = api.post(f"{base}/run")
    assert busy.status_code == 409
    assert_matches_openapi(f"{ITEM}/run", "post", 409, busy.json())  # the Hub's exact message
    assert busy.json()["error"].startswith("Another job is already running at the same time")
    labels = api.put(f"{base}/labels", json={"labels": {"x": "y"}}).json()
    assert labels["jobSpec"]["labels"] == {"x": "y"}
    assert [
        s["id"] for s in api.get("/api/scheduled-jobs/fakeuser", params={"label": "x=y"}).json()
    ] == [sid]
    assert api.get("/api/scheduled-jobs/fakeuser", params={"label": "team=ml"}).json() == []
    moved = api.post(f"{base}/schedule", json={"schedule": "*/15 * * * *"}).json()
    assert_matches_openapi(f"{ITEM}/schedule", "post", 200, moved)
    assert moved["schedule"] == "*/15 * * * *"
    assert moved["status"]["nextJobRunAt"] == "2026-01-01T02:15:00.000Z"
    assert api.delete(base).status_code == 204
    assert api.get(base).status_code == 404
    assert api.get("/api/jobs/fakeuser").json()[0]["id"] == run.json()["id"]


def test_concurrency_allows_overlapping_triggers(api: TestClient) -> None:
    sid = _create(api, concurrency=True)["id"]
    first = api.post(f"/api/scheduled-jobs/fakeuser/{sid}/run")
    second = api.post(f"/api/scheduled-jobs/fakeuser/{sid}/run")
    assert first.status_code == second.status_code == 200


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"schedule": "every hour"}, "schedule: invalid schedule 'every hour'"),
        ({"schedule": "61 * * * *"}, "schedule: invalid schedule '61 * * * *'"),
        ({"schedule": "0 0 30 2 *"}, "never occurs"),
        ({"jobSpec": {**BODY["jobSpec"], "flavor": "nope"}}, "flavor: unknown flavor 'nope'"),
        ({"jobSpec": {**BODY["jobSpec"], "command": [""]}}, "jobSpec.command"),
    ],
)
def test_bad_schedules_and_specs(
    api: TestClient, hub: FakeHub, extra: dict[str, Any], message: str
) -> None:
    response = api.post("/api/scheduled-jobs/fakeuser", json={**BODY, **extra})
    assert response.status_code == 400 and message in response.json()["error"]
    assert hub.jobs.scheduled.items == {}


def test_unknown_scheduled_job_is_404(api: TestClient) -> None:
    response = api.post("/api/scheduled-jobs/fakeuser/0123456789abcdef01234567/suspend")
    assert response.status_code == 404 and "x-error-code" not in response.headers
