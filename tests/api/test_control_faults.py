"""``/_fakehub/faults`` over HTTP, and what faults do to Hub requests (in-process)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.middleware import faults as middleware
from tests.space_factory import add_space

VARIABLES = "/api/spaces/fakeuser/demo/variables"
JOB_SPEC = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}


def add_fault(api: TestClient, **rule: Any) -> dict[str, Any]:
    response = api.post("/_fakehub/faults", json=rule)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Latency is real time: record what would have been slept instead of sleeping."""
    calls: list[float] = []

    async def record(seconds: float) -> None:
        calls.append(seconds)

    monkeypatch.setattr(middleware, "real_sleep", record)
    return calls


# -- the control routes ---------------------------------------------------------------------


def test_add_list_get_delete_and_clear(api: TestClient) -> None:
    first = add_fault(api, route="/api/whoami-v2", status=503, count=2, label="flaky whoami")
    assert first == {
        "id": "fault-1",
        "rule": {"route": "/api/whoami-v2", "count": 2, "status": 503, "label": "flaky whoami"},
        "matched": 0,
        "applied": 0,
        "remaining": 2,
        "active": True,
    }
    second = add_fault(api, method="POST", status=500)
    assert [f["id"] for f in api.get("/_fakehub/faults").json()["faults"]] == [
        first["id"],
        second["id"],
    ]
    assert api.get(f"/_fakehub/faults/{first['id']}").json() == first
    assert api.delete(f"/_fakehub/faults/{first['id']}").json() == {"deleted": 1}
    assert api.get(f"/_fakehub/faults/{first['id']}").status_code == 404
    assert api.delete("/_fakehub/faults").json() == {"deleted": 1}
    assert api.get("/_fakehub/faults").json() == {"faults": []}


def test_unknown_fault_is_a_404_in_the_hub_error_format(api: TestClient) -> None:
    for method in ("GET", "DELETE"):
        response = api.request(method, "/_fakehub/faults/fault-99")
        assert response.status_code == 404
        assert response.json() == {"error": "No fault with id 'fault-99'"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"[1]", "must be a JSON object"),
        (b'{"status": "503"}', "status"),
        (b'{"status": 503, "route": "/_fakehub/*"}', "control API"),
        (b'{"latency": "2 weeks"}', "latency"),
        (b'{"latency": NaN}', "NaN is not a JSON value"),  # refused by the parse step
        (b'{"status": 503, "colour": "red"}', "colour"),
    ],
)
def test_bad_rules_are_400_and_add_nothing(api: TestClient, body: bytes, message: str) -> None:
    add_fault(api, status=500, route="/api/jobs/*")
    before = api.get("/_fakehub/faults").json()
    response = api.post("/_fakehub/faults", content=body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert api.get("/_fakehub/faults").json() == before


def test_faults_never_touch_the_control_api(api: TestClient) -> None:
    add_fault(api, status=503)  # route "*": every Hub route
    assert api.get("/_fakehub/health").status_code == 200
    assert api.get("/api/whoami-v2").status_code == 503


def test_reset_clears_faults(api: TestClient) -> None:
    add_fault(api, status=503)
    api.post("/_fakehub/reset")
    assert api.get("/_fakehub/faults").json() == {"faults": []}
    assert api.get("/api/whoami-v2").status_code == 200


# -- what faults do -------------------------------------------------------------------------


def test_a_count_fault_answers_with_its_status_headers_and_body_then_expires(
    api: TestClient,
) -> None:
    fault = add_fault(
        api,
        route="/api/whoami-v2",
        status=429,
        count=1,
        headers={"Retry-After": "3", "X-Error-Message": "slow down"},
        body={"error": "You are being rate limited"},
    )
    limited = api.get("/api/whoami-v2")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "3"
    assert limited.headers["x-error-message"] == "slow down"
    assert limited.headers["x-request-id"].startswith("Root=1-")  # still stamped like the Hub
    assert limited.headers["date"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert limited.json() == {"error": "You are being rate limited"}
    assert api.get("/api/whoami-v2").status_code == 200
    counters = api.get(f"/_fakehub/faults/{fault['id']}").json()
    assert (counters["matched"], counters["applied"], counters["active"]) == (1, 1, False)


def test_before_means_the_mutation_did_not_happen(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    add_fault(api, method="POST", route="/api/spaces/{namespace}/{name}/variables", status=503)
    response = api.post(VARIABLES, json={"key": "A", "value": "1"})
    assert response.status_code == 503
    assert response.json()["error"] == "fakehub fault fault-1: injected HTTP 503"
    api.delete("/_fakehub/faults")
    assert api.get(VARIABLES).json() == {}
    entry = api.get("/_fakehub/requests", params={"method": "POST"}).json()["requests"][0]
    assert entry["fault"]["when"] == "before" and entry["fault"]["routeStatus"] is None


def test_after_means_the_mutation_happened(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    add_fault(api, method="POST", resource="fakeuser/demo", when="after", status=502, count=1)
    response = api.post(VARIABLES, json={"key": "A", "value": "1"})
    assert response.status_code == 502
    assert api.get(VARIABLES).json()["A"]["value"] == "1"
    entry = api.get("/_fakehub/requests", params={"method": "POST"}).json()["requests"][0]
    assert (entry["status"], entry["fault"]["when"], entry["fault"]["routeStatus"]) == (
        502,
        "after",
        200,
    )


def test_namespace_and_resource_come_from_the_route(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    add_space(hub, "fakeorg/other")
    add_fault(api, resource="fakeorg/other", status=500)
    add_fault(api, namespace="fakeuser", method="GET", route="/api/jobs/*", status=503)
    assert api.get("/api/spaces/fakeuser/demo/runtime").status_code == 200
    assert api.get("/api/spaces/fakeorg/other/runtime").status_code == 500
    assert api.get("/api/jobs/fakeorg").status_code == 200
    assert api.get("/api/jobs/fakeuser").status_code == 503


def test_a_job_id_is_a_resource(api: TestClient) -> None:
    job_id = api.post("/api/jobs/fakeuser", json=JOB_SPEC).json()["id"]
    add_fault(api, resource=job_id, status=503)
    assert api.get(f"/api/jobs/fakeuser/{job_id}").status_code == 503
    assert api.get("/api/jobs/fakeuser").status_code == 200


def test_latency_before_delays_the_route(api: TestClient, slept: list[float]) -> None:
    add_fault(api, route="/api/whoami-v2", latency="250ms")
    response = api.get("/api/whoami-v2")
    assert response.status_code == 200 and response.json()["name"] == "fakeuser"
    assert slept == [0.25]
    entry = api.get("/_fakehub/requests").json()["requests"][0]
    assert entry["fault"]["latency"] == 0.25 and entry["status"] == 200


def test_latency_after_delays_a_mutation_that_already_happened(
    api: TestClient, hub: FakeHub, slept: list[float]
) -> None:
    add_space(hub)
    add_fault(api, method="POST", when="after", latency=2)
    assert api.post(VARIABLES, json={"key": "B", "value": "2"}).status_code == 200
    assert slept == [2.0]
    assert "B" in api.get(VARIABLES).json()


def test_drop_after_bytes_cuts_the_body(api: TestClient) -> None:
    add_fault(api, route="/api/whoami-v2", when="after", dropAfterBytes=10)
    response = api.get("/api/whoami-v2")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 10
    assert response.content == b'{"type":"u'
    entry = api.get("/_fakehub/requests").json()["requests"][0]
    assert entry["fault"]["dropped"] is True


def test_drop_before_sends_its_status_then_cuts(api: TestClient) -> None:
    add_fault(api, route="/api/whoami-v2", status=503, dropAfterBytes=0)
    response = api.get("/api/whoami-v2")
    assert response.status_code == 503 and response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_drop_after_events_cuts_an_sse_stream_mid_way(api: TestClient, hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome.of(logs=["one", "two", "three"], seconds=30))
    job_id = api.post("/api/jobs/fakeuser", json=JOB_SPEC).json()["id"]
    hub.advance(100)
    whole = api.get(f"/api/jobs/fakeuser/{job_id}/logs").text
    events = [block + "\n\n" for block in whole.split("\n\n") if block]
    assert len(events) >= 3
    add_fault(api, route="/api/jobs/*/*/logs", when="after", dropAfterEvents=2)
    cut = api.get(f"/api/jobs/fakeuser/{job_id}/logs")
    assert cut.status_code == 200
    assert cut.text == "".join(events[:2])
    entry = api.get("/_fakehub/requests", params={"fault": "*"}).json()["requests"][0]
    assert entry["fault"]["dropped"] is True


def test_seeded_probability_replays_the_same_flakes(hub: FakeHub) -> None:
    from fakehub.app import create_app

    def run() -> list[int]:
        hub.reset()
        with TestClient(create_app(hub), base_url="http://fake.test") as client:
            client.post("/_fakehub/faults", json={"status": 503, "probability": 0.5})
            return [client.get("/api/agent-harnesses").status_code for _ in range(30)]

    first = run()
    assert first == run()
    assert {200, 503} == set(first)


def test_burst_rate_limits_with_retry_after_and_ratelimit(api: TestClient) -> None:
    add_fault(api, route="/api/whoami-v2", status=429, burst={"requests": 2, "per": "1h"})
    statuses = [api.get("/api/whoami-v2") for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    limited = statuses[2]
    assert 3590 <= int(limited.headers["retry-after"]) <= 3600
    assert limited.headers["ratelimit"] == f'"api";r=0;t={limited.headers["retry-after"]}'
