"""The control routes that script job outcomes."""

from __future__ import annotations

from starlette.testclient import TestClient

from fakehub import FakeHub

SPEC = {"command": ["make", "train"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}


def _logs(api: TestClient, job_id: str) -> list[str]:
    text = api.get(f"/api/jobs/fakeuser/{job_id}/logs").text
    return [line for line in text.split("\n") if line.startswith("data: ")]


def test_queue_scripts_the_next_jobs_in_order(api: TestClient, hub: FakeHub) -> None:
    queued = api.post(
        "/_fakehub/jobs/outcomes",
        json={
            "outcomes": [
                {"exitCode": 1, "seconds": "10s", "logs": ["bad"], "message": "no data"},
                {"attempts": [{"exitCode": 1, "seconds": 1}, {"logs": [{"at": 2, "line": "ok"}]}]},
            ]
        },
    )
    assert queued.json() == {"queued": 2}
    assert len(api.get("/_fakehub/jobs/outcomes").json()["outcomes"]) == 2
    failing = api.post("/api/jobs/fakeuser", json=SPEC).json()["id"]
    retried = api.post("/api/jobs/fakeuser", json={**SPEC, "attempts": 2}).json()["id"]
    assert api.get("/_fakehub/jobs/outcomes").json() == {"outcomes": []}
    hub.advance(600)
    first = api.get(f"/api/jobs/fakeuser/{failing}").json()["status"]
    assert first == {"stage": "ERROR", "message": "no data", "failureCount": 1}
    second = api.get(f"/api/jobs/fakeuser/{retried}").json()["status"]
    assert second == {"stage": "COMPLETED", "message": None, "failureCount": 1}
    assert _logs(api, retried)[-1].endswith('"data":"ok"}')


def test_script_one_job_to_hang_then_clear(api: TestClient, hub: FakeHub) -> None:
    job_id = api.post("/api/jobs/fakeuser", json=SPEC).json()["id"]
    scripted = api.post(f"/_fakehub/jobs/fakeuser/{job_id}/outcome", json={"stage": "RUNNING"})
    assert scripted.json()["stage"] == "SCHEDULING"
    hub.advance(1000)
    assert api.get(f"/api/jobs/fakeuser/{job_id}").json()["status"]["stage"] == "RUNNING"
    hub.advance(1000)  # past the default 1800 s timeout
    status = api.get(f"/api/jobs/fakeuser/{job_id}").json()["status"]
    assert status == {"stage": "ERROR", "message": "Job timeout"}
    finished = api.post(f"/_fakehub/jobs/fakeuser/{job_id}/outcome", json={"exitCode": 0})
    assert finished.status_code == 409
    api.post("/_fakehub/jobs/outcomes", json={"outcomes": [{}]})
    assert api.delete("/_fakehub/jobs/outcomes").json() == {"queued": 0}


def test_bad_outcomes_are_400s_and_queue_nothing(api: TestClient, hub: FakeHub) -> None:
    for body, message in [
        ({"outcomes": [{"stage": "COMPLETED", "exitCode": 2}]}, "needs exit code 0"),
        ({"outcomes": [{"seconds": "soon"}]}, "outcomes[0].seconds: not a duration"),
        ({"outcomes": [{"logs": ["a\nb"]}]}, "one line per entry"),
        ({"outcomes": [{"metrics": {"bogus": 1}}]}, "metrics: unknown keys ['bogus']"),
        ({"outcomes": [{}, {"attempts": []}]}, "outcomes[1].attempts"),
        ({"nope": 1}, "outcomes"),
    ]:
        response = api.post("/_fakehub/jobs/outcomes", json=body)
        assert response.status_code == 400 and message in response.json()["error"], body
    assert hub.jobs.queued_outcomes() == []
    missing = api.post("/_fakehub/jobs/fakeuser/0123456789abcdef01234567/outcome", json={})
    assert missing.status_code == 404
