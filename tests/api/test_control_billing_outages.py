"""``/_fakehub/billing`` and ``/_fakehub/outages`` over HTTP."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.clock import NS_PER_SECOND as NS
from fakehub.control.client import ControlClient, ControlError
from fakehub.server import ServerThread
from fakehub.timefmt import parse_iso
from tests.space_factory import add_space

BASE = "/api/spaces/fakeuser/demo"
START = parse_iso("2026-01-01T00:00:00Z")
JOB_SPEC: dict[str, Any] = {
    "command": ["python", "train.py"],
    "arguments": [],
    "environment": {},
    "flavor": "a10g-small",
    "dockerImage": "python:3.12",
}


def _schema(api: TestClient, path: str, method: str, status: str) -> dict[str, Any]:
    document = api.get("/_fakehub/openapi.json").json()
    content = document["paths"][path][method]["responses"][status]["content"]
    return {**content["application/json"]["schema"], "components": document["components"]}


def _advance(api: TestClient, seconds: float) -> None:
    assert api.post("/_fakehub/clock/advance", json={"seconds": seconds}).status_code == 200


# -- billing --------------------------------------------------------------------------------------


def test_billing_starts_empty(api: TestClient) -> None:
    body = api.get("/_fakehub/billing").json()
    assert body == {
        "now": "2026-01-01T00:00:00.000Z",
        "nowNs": START,
        "totalMicroUsd": 0,
        "totalUsd": 0.0,
        "resources": [],
        "runningPaid": [],
    }


def test_billing_reports_spaces_and_jobs_with_periods(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    _advance(api, 40)
    assert api.post(f"{BASE}/hardware", json={"flavor": "t4-small"}).status_code == 200
    _advance(api, 40)  # the T4 app is up at 00:01:20
    job = api.post("/api/jobs/fakeuser", json=JOB_SPEC).json()
    _advance(api, 5 + 60 + 55)  # the job runs 00:01:25 -> 00:02:25; now 00:03:20
    response = api.get("/_fakehub/billing")
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, _schema(api, "/_fakehub/billing", "get", "200"))
    space, run = body["resources"]
    assert (space["kind"], space["id"]) == ("space", "fakeuser/demo")
    assert [(p["flavor"], p["start"], p["end"]) for p in space["periods"]] == [
        ("cpu-basic", "2026-01-01T00:00:40.000Z", "2026-01-01T00:01:20.000Z"),
        ("t4-small", "2026-01-01T00:01:20.000Z", None),
    ]
    assert space["costMicroUsd"] == 2 * 6667
    assert (run["kind"], run["id"], run["costMicroUsd"]) == ("job", job["id"], 16667)
    assert run["periods"] == [
        {
            "flavor": "a10g-small",
            "unitCostMicroUsd": 16667,
            "start": "2026-01-01T00:01:25.000Z",
            "startNs": START + 85 * NS,
            "end": "2026-01-01T00:02:25.000Z",
            "endNs": START + 145 * NS,
            "costMicroUsd": 16667,
            "costUsd": 0.016667,
        }
    ]
    assert body["totalMicroUsd"] == 2 * 6667 + 16667
    assert body["totalUsd"] == pytest.approx(0.030001)
    assert body["runningPaid"] == [
        {
            "kind": "space",
            "id": "fakeuser/demo",
            "flavor": "t4-small",
            "unitCostMicroUsd": 6667,
            "since": "2026-01-01T00:01:20.000Z",
            "sinceNs": START + 80 * NS,
            "costMicroUsd": 2 * 6667,
        }
    ]
    assert api.post(f"{BASE}/pause").status_code == 200
    assert api.get("/_fakehub/billing").json()["runningPaid"] == []


# -- outages --------------------------------------------------------------------------------------


def test_an_outage_is_declared_listed_and_cleared(api: TestClient) -> None:
    response = api.post("/_fakehub/outages", json={"flavor": "a10g-small", "for": "10m"})
    assert response.status_code == 201, response.text
    outage = response.json()
    jsonschema.validate(outage, _schema(api, "/_fakehub/outages", "post", "201"))
    assert outage == {
        "flavor": "a10g-small",
        "kind": "both",
        "start": "2026-01-01T00:00:00.000Z",
        "end": "2026-01-01T00:10:00.000Z",
        "startNs": outage["startNs"],
        "endNs": outage["startNs"] + 600 * 10**9,
        "active": True,
    }
    later = api.post(
        "/_fakehub/outages",
        json={"flavor": "h200", "for": 60, "kind": "job", "start": "2026-01-01T01:00:00Z"},
    )
    assert later.status_code == 201 and later.json()["active"] is False
    listed = api.get("/_fakehub/outages").json()
    jsonschema.validate(listed, _schema(api, "/_fakehub/outages", "get", "200"))
    assert [(o["flavor"], o["kind"], o["active"]) for o in listed["outages"]] == [
        ("a10g-small", "both", True),
        ("h200", "job", False),
    ]
    assert api.delete("/_fakehub/outages").json() == {"deleted": 2}
    assert api.get("/_fakehub/outages").json() == {"outages": []}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"flavor": "a10g-hyper", "for": "10m"}, "flavor: unknown flavor 'a10g-hyper'"),
        ({"flavor": "h100", "for": "10m", "kind": "job"}, "unknown flavor 'h100' for kind 'job'"),
        ({"flavor": "t4-small", "for": "soon"}, "for: not a duration: 'soon'"),
        ({"flavor": "t4-small", "for": 0}, "for: expected a positive duration"),
        ({"flavor": "t4-small", "for": "10m", "kind": "gpu"}, "kind"),
        ({"flavor": "t4-small", "for": "10m", "start": "yesterday"}, "start: not an ISO-8601"),
        ({"flavor": "t4-small", "for": "10m", "start": "2025-12-31T00:00:00Z"}, "in the past"),
        ({"flavor": "t4-small", "for": "1d", "start": "9999-12-31T12:00:00Z"}, "would end after"),
        ({"for": "10m"}, "flavor"),
        ({"flavor": "t4-small"}, "for"),
    ],
)
def test_bad_outages_are_400s_that_change_nothing(
    api: TestClient, hub: FakeHub, body: dict[str, Any], message: str
) -> None:
    before = hub.dump()
    response = api.post("/_fakehub/outages", json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert hub.dump() == before


def test_a_job_waits_for_capacity_over_http(api: TestClient) -> None:
    api.post("/_fakehub/outages", json={"flavor": "a10g-small", "for": "10m", "kind": "job"})
    job = api.post("/api/jobs/fakeuser", json=JOB_SPEC).json()
    _advance(api, 300)
    status = api.get(f"/api/jobs/fakeuser/{job['id']}").json()["status"]
    assert status["stage"] == "SCHEDULING"
    assert status["message"] == "Waiting for a10g-small capacity"
    _advance(api, 300 + 5)
    assert api.get(f"/api/jobs/fakeuser/{job['id']}").json()["status"]["stage"] == "RUNNING"


def test_a_space_waits_for_capacity_over_http(api: TestClient, hub: FakeHub) -> None:
    add_space(hub)
    _advance(api, 40)
    api.post("/_fakehub/outages", json={"flavor": "t4-small", "for": "10m", "kind": "space"})
    api.post(f"{BASE}/hardware", json={"flavor": "t4-small"})
    _advance(api, 599)
    runtime = api.get(f"{BASE}/runtime").json()
    assert runtime["stage"] == "RUNNING_BUILDING"
    assert runtime["hardware"] == {"current": "cpu-basic", "requested": "t4-small"}
    assert api.delete("/_fakehub/outages").json() == {"deleted": 1}
    _advance(api, 40)
    runtime = api.get(f"{BASE}/runtime").json()
    assert runtime["stage"] == "RUNNING"
    assert runtime["hardware"] == {"current": "t4-small", "requested": "t4-small"}


def test_the_control_client_drives_billing_and_outages(live: ServerThread) -> None:
    control = ControlClient(live.url)
    try:
        with pytest.raises(ControlError) as caught:
            control.add_outage("gpu-9000", "10m")
        assert caught.value.status == 400 and "gpu-9000" in caught.value.message
        outage = control.add_outage("t4-small", "10m", kind="space")
        assert (outage["flavor"], outage["kind"], outage["active"]) == ("t4-small", "space", True)
        add_space(live.hub, hardware="t4-small")
        control.advance(600 + 40 + 60)
        assert [o["active"] for o in control.outages()] == [False]
        (held,) = control.paid_hardware_running()
        assert (held.id, held.flavor, held.cost_micro_usd) == ("fakeuser/demo", "t4-small", 6667)
        report = control.billing()  # the hub's own BillingReport, exactly
        assert report.total_micro_usd == 6667 and report == live.hub.billing()
        assert control.clear_outages() == {"deleted": 1}
    finally:
        control.close()
