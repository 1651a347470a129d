"""Jobs routes over HTTP: bodies, headers, schema, errors, state left unchanged on bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.domain.jobs.outcomes import JobOutcome
from tests.conftest import READ
from tests.openapi import assert_matches_openapi

JOB = "/api/jobs/{namespace}/{jobId}"
SPEC: dict[str, Any] = {
    "command": ["python", "-c", "print(1)"],
    "arguments": [],
    "environment": {"FOO": "bar"},
    "flavor": "cpu-basic",
    "secrets": {"HF_TOKEN": "hf_secret_value"},
    "dockerImage": "python:3.12",
}


def _run(api: TestClient, **extra: Any) -> dict[str, Any]:
    response = api.post("/api/jobs/fakeuser", json={**SPEC, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_run_returns_a_job_matching_the_schema(api: TestClient) -> None:
    body = _run(
        api,
        timeoutSeconds=300,
        attempts=2,
        labels={"team": "ml"},
        expose={"ports": [8000, 9000], "portsPublic": [9000]},
        ssh={"enabled": True},
        volumes=[{"type": "dataset", "source": "a/b", "mountPath": "/data"}],
    )
    assert_matches_openapi("/api/jobs/{namespace}", "post", 200, body)
    assert body["secrets"] == ["HF_TOKEN"] and "hf_secret_value" not in str(body)
    assert (body["timeout"], body["retry"], body["status"]["stage"]) == (300, 1, "SCHEDULING")
    assert body["labels"]["team"] == "ml" and body["labels"]["name"].startswith("python-3-12-")
    job_id = body["id"]
    assert body["status"]["exposeUrls"] == [
        f"https://{job_id}--8000.hf.jobs",
        f"https://{job_id}--9000.hf.jobs",
    ]
    assert body["status"]["sshUrl"] == f"ssh://{job_id}@ssh.hf.jobs"
    assert body["owner"]["type"] == "user" and body["createdAt"].endswith("Z")


def test_inspect_follows_the_clock_and_matches_schema(api: TestClient, hub: FakeHub) -> None:
    job_id = _run(api)["id"]
    hub.advance(30)
    body = api.get(f"/api/jobs/fakeuser/{job_id}").json()
    assert_matches_openapi(JOB, "get", 200, body)
    assert body["status"]["stage"] == "RUNNING"
    assert body["startedAt"] == "2026-01-01T00:00:05.000Z"
    assert body["durations"] == {"schedulingSecs": 5, "runningSecs": 25, "totalSecs": 30}
    hub.advance(100)
    body = api.get(f"/api/jobs/fakeuser/{job_id}").json()
    assert body["finishedAt"] == "2026-01-01T00:01:05.000Z"
    assert body["durations"] == {"schedulingSecs": 5, "runningSecs": 60, "totalSecs": 65}


def test_list_pages_with_link_keeping_filters(api: TestClient, hub: FakeHub) -> None:
    ids = [_run(api, labels={"k": "v"})["id"] for _ in range(3)]
    _run(api, labels={"k": "other"})
    hub.jobs.page_size = 2
    first = api.get("/api/jobs/fakeuser", params=[("stage", "SCHEDULING"), ("label", "k=v")])
    assert_matches_openapi("/api/jobs/{namespace}", "get", 200, first.json())
    assert [j["id"] for j in first.json()] == [ids[2], ids[1]]
    link = first.headers["link"]
    assert link.startswith(
        "<http://fake.test/api/jobs/fakeuser?stage=SCHEDULING&label=k%3Dv&cursor="
    )
    assert link.endswith('>; rel="next"')
    second = api.get(link[1 : link.index(">")])
    assert [j["id"] for j in second.json()] == [ids[0]] and "link" not in second.headers


def test_cancel_labels_expose_rerun(api: TestClient, hub: FakeHub) -> None:
    job_id = _run(api)["id"]
    labels = api.put(f"/api/jobs/fakeuser/{job_id}/labels", json={"labels": {"a": "1"}}).json()
    assert labels["labels"] == {"a": "1"}
    exposed = api.put(
        f"/api/jobs/fakeuser/{job_id}/expose", json={"ports": [80], "portsPublic": []}
    )
    assert exposed.json()["status"]["exposeUrls"] == [f"https://{job_id}--80.hf.jobs"]
    closed = api.put(f"/api/jobs/fakeuser/{job_id}/expose", json={"ports": [], "portsPublic": []})
    assert "exposeUrls" not in closed.json()["status"] and "expose" not in closed.json()
    canceled = api.post(f"/api/jobs/fakeuser/{job_id}/cancel")
    assert_matches_openapi(f"{JOB}/cancel", "post", 200, canceled.json())
    assert canceled.json()["status"]["stage"] == "CANCELED"
    again = api.post(f"/api/jobs/fakeuser/{job_id}/cancel")
    assert again.status_code == 200 and again.json() == canceled.json()
    rerun = api.post(f"/api/jobs/fakeuser/{job_id}/duplicate").json()
    assert_matches_openapi(f"{JOB}/duplicate", "post", 200, rerun)
    assert rerun["initiator"] == {"type": "duplicated-job", "id": job_id}
    assert rerun["labels"]["a"] == "1" and rerun["status"]["stage"] == "SCHEDULING"


def test_hardware_catalogue(api: TestClient) -> None:
    body = api.get("/api/jobs/hardware", headers={"authorization": ""}).json()
    assert_matches_openapi("/api/jobs/hardware", "get", 200, body)
    by_name = {f["name"]: f for f in body}
    assert by_name["cpu-basic"]["unitCostMicroUSD"] == 167
    assert by_name["a10g-small"]["accelerator"]["quantity"] == "1"
    assert {"h200x8", "cpu-performance", "l40sx8", "rtx-pro-6000x8"} <= set(by_name)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"flavor": "gpu-huge"}, "flavor: unknown flavor 'gpu-huge'"),
        ({"command": []}, "command: must contain at least one item"),
        ({"timeoutSeconds": "5m"}, "timeoutSeconds"),
        ({"timeoutSeconds": -1}, "timeoutSeconds: must be a positive integer"),
        ({"environment": {"1X": "y"}}, "environment: invalid variable name '1X'"),
        ({"labels": {"a b": "c"}}, "labels: invalid label key 'a b'"),
        ({"expose": {"ports": [80], "portsPublic": [81]}}, "portsPublic"),
        ({"attempts": 0}, "attempts: must be at least 1"),
        ({"dockerImage": None}, "exactly one of them is required"),
    ],
)
def test_bad_specs_are_400s_naming_the_field(
    api: TestClient, hub: FakeHub, extra: dict[str, Any], message: str
) -> None:
    response = api.post("/api/jobs/fakeuser", json={**SPEC, **extra})
    assert response.status_code == 400 and message in response.json()["error"]
    assert "x-error-code" not in response.headers
    assert hub.jobs.runs.jobs == {}


def test_unknown_job_is_a_plain_404_everywhere(api: TestClient) -> None:
    missing = "0123456789abcdef01234567"
    for method, suffix in [("GET", ""), ("POST", "/cancel"), ("GET", "/logs"), ("GET", "/metrics")]:
        response = api.request(method, f"/api/jobs/fakeuser/{missing}{suffix}")
        assert response.status_code == 404, suffix
        assert response.json() == {"error": "Job not found"}
        assert "x-error-code" not in response.headers


def test_namespace_rights(api: TestClient, hub: FakeHub) -> None:
    forbidden = api.post("/api/jobs/someone-else", json=SPEC)
    assert forbidden.status_code == 404 and "someone-else" in forbidden.json()["error"]
    read_only = api.post("/api/jobs/fakeuser", json=SPEC, headers=READ)
    assert read_only.status_code == 403 and "read-only" in read_only.headers["x-error-message"]
    assert api.get("/api/jobs/fakeuser", headers=READ).status_code == 200
    anonymous = api.get("/api/jobs/fakeuser", headers={"authorization": ""})
    assert anonymous.status_code == 401
    org = api.post("/api/jobs/fakeorg", json=SPEC).json()
    assert org["owner"]["type"] == "org" and org["createdBy"]["name"] == "fakeuser"
    assert hub.jobs.runs.jobs.keys() == {org["id"]}


def test_logs_replay_identically_with_tail_and_virtual_date(api: TestClient, hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome.of(logs=["one", "two", "three"], seconds=30))
    job_id = _run(api)["id"]
    hub.advance(100)
    first = api.get(f"/api/jobs/fakeuser/{job_id}/logs")
    second = api.get(f"/api/jobs/fakeuser/{job_id}/logs")
    assert first.content == second.content
    assert first.headers["content-type"].startswith("text/event-stream")
    assert first.headers["date"] == "Thu, 01 Jan 2026 00:01:40 GMT"
    events = [line for line in first.text.split("\n") if line.startswith("data: {")]
    assert events[1] == 'data: {"timestamp":"2026-01-01T00:00:05.000Z","data":"one"}'
    assert events[3] == 'data: {"timestamp":"2026-01-01T00:00:25.000Z","data":"three"}'
    tail = api.get(f"/api/jobs/fakeuser/{job_id}/logs", params={"tail": 2}).text
    assert [line for line in tail.split("\n") if line.startswith("data: ")] == events[-2:]
    assert api.get(f"/api/jobs/fakeuser/{job_id}/logs", params={"tail": 0}).text == ""
    assert api.get(f"/api/jobs/fakeuser/{job_id}/logs", params={"tail": "x"}).status_code == 400


def test_metrics_first_sample_then_406_once_finished(api: TestClient, hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome(seconds=20))
    job_id = _run(api, flavor="a10g-largex2")["id"]
    hub.advance(10)
    with api.stream("GET", f"/api/jobs/fakeuser/{job_id}/metrics") as stream:
        lines = stream.iter_lines()
        assert next(lines) == "event: metric"
        sample = json.loads(next(lines)[len("data: ") :])
    assert len(sample["gpus"]) == 2 and sample["memory_total_bytes"] == 92 * 1024**3
    assert sample["cpu_millicores"] == 24000 and 0 <= sample["cpu_usage_pct"] <= 100
    hub.advance(20)
    finished = api.get(f"/api/jobs/fakeuser/{job_id}/metrics")
    assert finished.status_code == 406 and "not running" in finished.json()["error"]
