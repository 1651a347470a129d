"""The clock and reset control routes."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


def test_clock_reads_and_advances(api: TestClient) -> None:
    assert api.get("/_fakehub/clock").json()["now"] == "2026-01-01T00:00:00.000Z"
    body = api.post("/_fakehub/clock/advance", json={"seconds": 90}).json()
    assert body["now"] == "2026-01-01T00:01:30.000Z"
    body = api.post("/_fakehub/clock/advance", json={"seconds": "1h"}).json()
    assert body["now"] == "2026-01-01T01:01:30.000Z"


def test_move_to_and_not_back(api: TestClient) -> None:
    body = api.post("/_fakehub/clock/move-to", json={"to": "2026-02-01T00:00:00Z"}).json()
    assert body["now"] == "2026-02-01T00:00:00.000Z"
    response = api.post("/_fakehub/clock/move-to", json={"to": "2026-01-15T00:00:00Z"})
    assert response.status_code == 400
    assert "past" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [{}, {"seconds": "soon"}, {"seconds": -5}, {"seconds": None}, {"seconds": True}, [1], "x"],
)
def test_bad_advance_is_a_400_that_names_the_field(api: TestClient, body: object) -> None:
    response = api.post("/_fakehub/clock/advance", json=body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert api.get("/_fakehub/clock").json()["now"] == "2026-01-01T00:00:00.000Z"


def test_clock_mode(api: TestClient) -> None:
    body = api.post("/_fakehub/clock/mode", json={"mode": "realtime", "speed": 60}).json()
    assert (body["mode"], body["speed"]) == ("realtime", 60)
    assert api.post("/_fakehub/clock/mode", json={"mode": "warp"}).status_code == 400
    assert api.post("/_fakehub/clock/mode", json={"mode": "manual", "speed": 0}).status_code == 400


def test_reset_goes_back_to_the_start(api: TestClient) -> None:
    api.post("/_fakehub/clock/advance", json={"seconds": "3d"})
    assert api.post("/_fakehub/reset").status_code == 200
    assert api.get("/_fakehub/clock").json()["now"] == "2026-01-01T00:00:00.000Z"


def test_policies(api: TestClient) -> None:
    body = api.put("/_fakehub/policies/space", json={"policy": "per-poll(3)"}).json()
    assert body["policy"] == "per-poll(3)"
    assert api.get("/_fakehub/policies").json()["space"]["policy"] == "per-poll(3)"
    assert api.put("/_fakehub/policies/job", json={"policy": "lazy"}).status_code == 400
    assert api.put("/_fakehub/policies/model", json={"policy": "instant"}).status_code == 400
    body = api.put(
        "/_fakehub/policies/job", json={"policy": "timed", "durations": {"run": "5m"}}
    ).json()
    assert body["durations"] == {"run": 300.0}
