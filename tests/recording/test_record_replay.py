"""Record through the proxy against a live fakehub, replay with no upstream: raw HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml

from fakehub.recording import (
    MISS_CODE,
    MISS_STATUS,
    CassetteMismatch,
    CassetteServer,
    load,
    start_replay_server,
)
from fakehub.server import ServerThread
from tests.recording.conftest import http


def _clock_story(recorder: CassetteServer) -> list[httpx.Response]:
    with http(recorder) as client:
        seen = [client.get("/_fakehub/clock")]
        client.post("/_fakehub/clock/advance", json={"seconds": 10})
        seen.append(client.get("/_fakehub/clock"))
        client.post("/_fakehub/clock/advance", json={"seconds": 5})
        seen.append(client.get("/_fakehub/clock"))
    return seen


def test_identical_requests_replay_their_answers_in_order_then_the_last(
    recorder: CassetteServer, cassette: Path
) -> None:
    recorded = _clock_story(recorder)
    recorder.stop()
    nows = [r.json()["now"] for r in recorded]
    assert len(set(nows)) == 3
    with start_replay_server(cassette) as replay, http(replay) as client:
        assert client.get("/_fakehub/clock").json()["now"] == nows[0]
        # a JSON body matches parsed: other spacing, same value
        advance = client.post(
            "/_fakehub/clock/advance",
            content=b'{ "seconds" : 10 }',
            headers={"content-type": "application/json"},
        )
        assert advance.status_code == 200
        replayed = [client.get("/_fakehub/clock") for _ in range(3)]
    assert [r.json()["now"] for r in replayed] == [nows[1], nows[2], nows[2]]
    # Date and X-Request-Id are the recorded ones, not stamped by the replay server
    assert [r.headers["date"] for r in replayed[:2]] == [r.headers["date"] for r in recorded[1:]]
    assert replayed[0].headers["x-request-id"] == recorded[1].headers["x-request-id"]


def test_query_order_does_not_matter_but_values_do(
    recorder: CassetteServer, cassette: Path
) -> None:
    with http(recorder) as client:
        listed = client.get("/api/spaces?author=fakeuser&limit=5")
    recorder.stop()
    with start_replay_server(cassette) as replay, http(replay) as client:
        again = client.get("/api/spaces?limit=5&author=fakeuser")
        assert (again.status_code, again.json()) == (listed.status_code, listed.json())
        assert client.get("/api/spaces?limit=6&author=fakeuser").status_code == MISS_STATUS


def test_an_unmatched_request_lists_the_closest_recorded_ones(
    recorder: CassetteServer, cassette: Path
) -> None:
    _clock_story(recorder)
    recorder.stop()
    with start_replay_server(cassette) as replay, http(replay) as client:
        miss = client.post("/_fakehub/clock/advance", json={"seconds": 7})
        assert miss.status_code == MISS_STATUS
        assert miss.headers["x-error-code"] == MISS_CODE
        message = miss.json()["error"]
        assert message.startswith(
            "fakehub replay: the cassette holds no recorded answer for "
            "POST /_fakehub/clock/advance\n"
        )
        assert "Closest recorded requests:\n  - POST /_fakehub/clock/advance\n" in message
        assert "body: $.seconds = 7 (recorded 10)" in message
        assert "body: $.seconds = 7 (recorded 5)" in message
        assert replay.misses == [message]
        with pytest.raises(CassetteMismatch) as failure:
            replay.session.check()
        assert str(failure.value) == message


def test_url_fields_point_at_whoever_serves_them(
    live: ServerThread, recorder: CassetteServer, cassette: Path
) -> None:
    body = {"name": "demo", "organization": "fakeuser", "type": "space", "sdk": "gradio"}
    with http(recorder) as client:
        created = client.post("/api/repos/create", json=body)
    assert created.status_code == 200, created.text
    assert created.json()["url"] == f"{recorder.url}/spaces/fakeuser/demo"
    recorder.stop()
    text = cassette.read_text()
    assert "url: ${endpoint}/spaces/fakeuser/demo" in text
    assert str(live.port) not in text and str(recorder.port) not in text
    with start_replay_server(cassette) as replay, http(replay) as client:
        assert client.post("/api/repos/create", json=body).json()["url"] == (
            f"{replay.url}/spaces/fakeuser/demo"
        )


def _run_job(client: httpx.Client, command: list[str]) -> str:
    job = client.post(
        "/api/jobs/fakeuser",
        json={"dockerImage": "python:3.12", "command": command, "flavor": "cpu-basic"},
    )
    assert job.status_code == 200, job.text
    job_id: str = job.json()["id"]
    return job_id


def _lines(response: httpx.Response) -> list[str]:
    return [line for line in response.iter_lines() if line.startswith("data: ")]


def test_a_finished_stream_is_recorded_event_by_event(
    live: ServerThread, recorder: CassetteServer, cassette: Path
) -> None:
    with http(recorder) as client:
        job_id = _run_job(client, ["echo", "hello"])
        live.hub.advance(3600)
        with client.stream("GET", f"/api/jobs/fakeuser/{job_id}/logs") as logs:
            recorded = _lines(logs)
            recorded_date = logs.headers["date"]
    recorder.stop()
    assert recorded, "the upstream job printed nothing"
    stream = load(cassette).interactions[-1].response
    assert stream.end == "closed" and stream.events is not None
    assert [f"data: {json.dumps(e.data, separators=(',', ':'))}" for e in stream.events] == (
        recorded
    )
    with (
        start_replay_server(cassette) as replay,
        http(replay) as client,
        client.stream("GET", f"/api/jobs/fakeuser/{job_id}/logs") as logs,
    ):
        assert logs.headers["content-type"].startswith("text/event-stream")
        assert logs.headers["date"] == recorded_date
        assert _lines(logs) == recorded


def test_a_stream_the_client_left_open_replays_open(
    recorder: CassetteServer, cassette: Path
) -> None:
    with http(recorder) as client:
        job_id = _run_job(client, ["sleep", "1000"])
        with client.stream("GET", f"/api/jobs/fakeuser/{job_id}/logs") as logs:
            assert logs.status_code == 200
    recorder.stop()
    stream = load(cassette).interactions[-1].response
    assert stream.end == "open"
    with (
        start_replay_server(cassette) as replay,
        httpx.Client(base_url=replay.url, timeout=httpx.Timeout(5, read=0.3)) as client,
        client.stream("GET", f"/api/jobs/fakeuser/{job_id}/logs") as logs,
        pytest.raises(httpx.ReadTimeout),
    ):
        for _ in logs.iter_lines():
            pass


def test_no_credential_reaches_the_cassette(
    live: ServerThread, recorder: CassetteServer, cassette: Path
) -> None:
    credentials = ["hf_fake_write", "hf_fake_read", "db-password-1234", "job-secret-5678"]
    with http(recorder) as client:
        client.get("/api/whoami-v2", headers={"authorization": "Bearer hf_fake_read"})
        create = {"name": "vault", "organization": "fakeuser", "type": "space", "sdk": "docker"}
        assert client.post("/api/repos/create", json=create).status_code == 200
        secret = {"key": "DB_PASSWORD", "value": "db-password-1234"}
        assert client.post("/api/spaces/fakeuser/vault/secrets", json=secret).status_code == 200
        job = {
            "dockerImage": "python:3.12",
            "command": ["sh", "-c", "echo job-secret-5678"],
            "secrets": {"TOKEN": "job-secret-5678"},
            "flavor": "cpu-basic",
        }
        job_id = client.post("/api/jobs/fakeuser", json=job).json()["id"]
        live.hub.advance(3600)
        with client.stream("GET", f"/api/jobs/fakeuser/{job_id}/logs") as logs:
            printed = "\n".join(logs.iter_lines())
    recorder.stop()
    assert "job-secret-5678" in printed  # the upstream really echoed it to the client
    text = cassette.read_text()
    leaked = [value for value in credentials if value in text]
    assert leaked == []
    assert "<scrubbed:secret>" in text and "Bearer <scrubbed:token>" in text
    assert yaml.safe_load(text)["version"] == 1


def test_an_unreachable_upstream_is_a_502_that_names_it(tmp_path: Path) -> None:
    from fakehub.recording import start_recording_proxy

    with (
        start_recording_proxy("http://127.0.0.1:9", tmp_path / "c.yaml") as proxy,
        http(proxy) as client,
    ):
        answer = client.get("/api/whoami-v2")
    assert answer.status_code == 502
    assert answer.json()["error"].startswith(
        "fakehub record: cannot reach the upstream http://127.0.0.1:9 for GET /api/whoami-v2"
    )
    assert load(tmp_path / "c.yaml").interactions == []
