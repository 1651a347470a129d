"""``fakehub control …`` against a live server: effects on its hub, output, exit statuses."""

from __future__ import annotations

import http.client
import json
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from fakehub.cli import main
from fakehub.clock import NS_PER_SECOND
from fakehub.config import DEFAULT_WRITE_TOKEN
from fakehub.control.cli import DEFAULT_URL, server_url
from fakehub.domain.jobs.records import JobSpec
from fakehub.domain.spaces.records import SpaceScript, SpaceStage
from fakehub.server import ServerThread
from fakehub.timefmt import parse_iso
from tests.space_factory import add_space

START = parse_iso("2026-01-01T00:00:00Z")


def control(
    live: ServerThread, capsys: pytest.CaptureFixture[str], *argv: str, status: int = 0
) -> Any:
    """Run ``fakehub control --url <live> ARGV``; the JSON it printed."""
    code = main(["control", "--url", live.url, *argv])
    out, err = capsys.readouterr()
    assert code == status, err
    if status:
        assert out == ""
        return err
    assert err == ""
    return json.loads(out)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _get(live: ServerThread, path: str) -> int:
    parts = urlsplit(live.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port)
    try:
        conn.request("GET", path, headers={"authorization": f"Bearer {DEFAULT_WRITE_TOKEN}"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


# -- where the server is ------------------------------------------------------------------------


def test_the_url_comes_from_the_option_then_hf_endpoint_then_the_serve_default() -> None:
    assert DEFAULT_URL == "http://127.0.0.1:8765"
    assert server_url(None, {}) == DEFAULT_URL
    assert server_url(None, {"HF_ENDPOINT": "http://h:1"}) == "http://h:1"
    assert server_url("http://given:2", {"HF_ENDPOINT": "http://h:1"}) == "http://given:2"


def test_hf_endpoint_is_used_and_url_is_accepted_after_the_command(
    live: ServerThread, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", live.url)
    assert main(["control", "health"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_free_port()}")
    assert main(["control", "clock", "--url", live.url]) == 0
    assert json.loads(capsys.readouterr().out)["nowNs"] == live.hub.now()


def test_an_unreachable_server_is_exit_2_naming_the_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    assert main(["control", "--url", url, "advance", "10m"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert f"cannot reach a fakehub server at {url}" in err


def test_a_url_that_is_not_http_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["control", "--url", "ftp://example", "health"]) == 2
    assert "ftp://example" in capsys.readouterr().err


# -- time, reset, policies ----------------------------------------------------------------------


def test_advance_move_to_and_clock_mode(
    live: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    assert control(live, capsys, "advance", "10m")["now"] == "2026-01-01T00:10:00.000Z"
    assert live.hub.now() == START + 600 * NS_PER_SECOND
    control(live, capsys, "move-to", "2026-01-02T00:00:00Z")
    assert live.hub.now() == parse_iso("2026-01-02T00:00:00Z")
    assert control(live, capsys, "clock")["now"] == "2026-01-02T00:00:00.000Z"
    assert control(live, capsys, "clock-mode", "realtime", "--speed", "60")["speed"] == 60
    assert (live.hub.clock_state().mode, live.hub.clock_state().speed) == ("realtime", 60)
    control(live, capsys, "clock-mode", "manual")
    assert live.hub.clock_state().mode == "manual"


def test_a_refused_request_is_exit_1_with_the_servers_message(
    live: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    err = control(live, capsys, "advance", "soon", status=1)
    assert err.startswith("fakehub control: seconds: not a duration: 'soon'")
    assert "HTTP 400" in err
    assert live.hub.now() == START
    err = control(live, capsys, "move-to", "2025-01-01T00:00:00Z", status=1)
    assert "cannot go backwards" in err


def test_reset_goes_back_to_the_start(
    live: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    live.hub.advance(3600)
    assert control(live, capsys, "reset")["status"] == "reset"
    assert live.hub.now() == START


def test_policy_with_durations(live: ServerThread, capsys: pytest.CaptureFixture[str]) -> None:
    answer = control(live, capsys, "policy", "job", "per-poll(2)", "--duration", "run=5m")
    assert answer == {"policy": "per-poll(2)", "durations": {"run": 300.0}}
    assert live.hub.ctx.policies.job.describe() == "per-poll(2)"
    assert control(live, capsys, "policies")["job"]["policy"] == "per-poll(2)"
    assert "policy 'lazy'" in control(live, capsys, "policy", "space", "lazy", status=1)
    assert live.hub.ctx.policies.space.describe() == "timed"


def test_malformed_arguments_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["visit", "no-slash"],
        ["add-fault", "{not json"],
        ["add-fault", "[1]"],
        ["policy", "space", "timed", "--duration", "build"],
        ["clock-mode", "warp"],
    ):
        with pytest.raises(SystemExit) as exited:
            main(["control", "--url", "http://127.0.0.1:1", *argv])
        assert exited.value.code == 2
    assert "NAMESPACE/NAME" in capsys.readouterr().err


# -- Spaces -------------------------------------------------------------------------------------


def test_space_outcome_scripts_a_build_error(
    live: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    space = add_space(live.hub)
    runtime = control(
        live, capsys, "space-outcome", "fakeuser/demo", "--build", "error",
        "--build-log", "Collecting torch", "--build-log", "ERROR: no wheel",
        "--error-message", "pip failed",
    )  # fmt: skip
    assert runtime["stage"] == "BUILDING"
    assert space.script == SpaceScript(
        build="error",
        build_logs=("Collecting torch", "ERROR: no wheel"),
        error_message="pip failed",
    )
    control(live, capsys, "advance", "30")
    assert (space.stage, space.error_message) == (SpaceStage.BUILD_ERROR, "pip failed")


def test_space_outcome_crash_after_and_visit(
    live: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    space = add_space(live.hub)
    live.hub.advance(40)
    assert control(live, capsys, "visit", "fakeuser/demo") == {
        "id": "fakeuser/demo",
        "stage": "RUNNING",
    }
    control(
        live, capsys, "space-outcome", "fakeuser/demo", "--crash-after", "2m", "--run-log", "hi"
    )
    assert space.script == SpaceScript(run_logs=("hi",), crash_after=120.0)
    live.hub.advance(120)
    assert space.stage is SpaceStage.RUNTIME_ERROR
    err = control(live, capsys, "space-outcome", "fakeuser/demo", "--crash-after", "-1", status=1)
    assert "crashAfter" in err
    assert space.script == SpaceScript(run_logs=("hi",), crash_after=120.0)
    err = control(live, capsys, "visit", "fakeuser/nope", status=1)
    assert "Space fakeuser/nope not found" in err and "HTTP 404" in err


# -- Jobs ---------------------------------------------------------------------------------------


def test_job_outcomes_queue_list_and_script(
    live: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    assert control(live, capsys, "queue-job-outcome", '{"exitCode": 3}') == {"queued": 1}
    control(
        live, capsys, "queue-job-outcome", '[{"exitCode": 0}, {"attempts": [{"stage": "ERROR"}]}]'
    )
    listed = control(live, capsys, "job-outcomes")
    assert [o["attempts"][0]["exitCode"] for o in listed][:2] == [3, 0]
    assert len(live.hub.jobs.queued_outcomes()) == 3
    assert control(live, capsys, "clear-job-outcomes") == {"queued": 0}
    assert live.hub.jobs.queued_outcomes() == []
    me = live.hub.ctx.accounts.authenticate(f"Bearer {DEFAULT_WRITE_TOKEN}")
    spec = JobSpec(flavor="cpu-basic", command=("python", "x.py"), docker_image="python:3.12")
    job = live.hub.jobs.run(me, "fakeuser", spec)
    scripted = control(live, capsys, "job-outcome", f"fakeuser/{job.id}", '{"exitCode": 7}')
    assert scripted["attempts"][0]["exitCode"] == 7
    assert job.script[0].exit_code == 7
    err = control(live, capsys, "job-outcome", "fakeuser/000000", '{"exitCode": 1}', status=1)
    assert "Job not found" in err


# -- faults, request log, state, billing, outages -----------------------------------------------


def test_faults_and_the_request_log(live: ServerThread, capsys: pytest.CaptureFixture[str]) -> None:
    added = control(live, capsys, "add-fault", '{"status": 503, "route": "/api/whoami-v2"}')
    assert [f.id for f in live.hub.faults.all()] == [added["id"]]
    assert [f["id"] for f in control(live, capsys, "faults")] == [added["id"]]
    assert _get(live, "/api/whoami-v2") == 503
    assert _get(live, "/api/spaces/hardware") == 200
    logged = control(live, capsys, "requests", "--status", "5xx")["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in logged] == [
        ("GET", "/api/whoami-v2", 503)
    ]
    paths = [r["path"] for r in control(live, capsys, "requests", "--method", "GET")["requests"]]
    assert paths == ["/api/whoami-v2", "/api/spaces/hardware"]
    assert (
        control(live, capsys, "requests", "--path", "/api/spaces")["requests"][0]["status"] == 200
    )
    assert control(live, capsys, "clear-faults") == {"deleted": 1}
    assert live.hub.faults.all() == []
    assert "status" in control(live, capsys, "add-fault", '{"status": "x"}', status=1)
    assert live.hub.faults.all() == []


def test_state_billing_and_outages(live: ServerThread, capsys: pytest.CaptureFixture[str]) -> None:
    add_space(live.hub)
    assert control(live, capsys, "state") == json.loads(json.dumps(live.hub.dump()))
    assert "runningPaid" in control(live, capsys, "billing")
    control(live, capsys, "add-outage", "a10g-small", "10m", "--kind", "job")
    [outage] = control(live, capsys, "outages")
    assert (outage["flavor"], outage["kind"]) == ("a10g-small", "job")
    assert [o.flavor for o in live.hub.outages.declared()] == ["a10g-small"]
    assert "flavor" in control(live, capsys, "add-outage", "tpu-huge", "10m", status=1)
    control(live, capsys, "clear-outages")
    assert live.hub.outages.declared() == []


# -- scenarios ----------------------------------------------------------------------------------


def test_scenario_load_show_unload(
    live: ServerThread, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    loaded = control(live, capsys, "scenario", "load", "happy-deploy")
    assert (loaded["status"], loaded["name"]) == ("loaded", "happy-deploy")
    assert live.hub.scenario is not None
    assert control(live, capsys, "scenario", "show")["name"] == "happy-deploy"
    assert control(live, capsys, "scenario", "unload")["loaded"] is False
    assert live.hub.scenario is None
    # A local file is sent as text, so it loads on a server that cannot see it.
    mine = tmp_path / "mine.yaml"
    mine.write_text("version: 1\nname: mine\nspaces:\n  - {id: fakeuser/app, sdk: static}\n")
    assert control(live, capsys, "scenario", "load", str(mine))["name"] == "mine"
    assert live.hub.space_store.get("fakeuser/app") is not None
    err = control(live, capsys, "scenario", "load", "no-such-story", status=1)
    assert "no shipped scenario" in err
    assert live.hub.scenario is not None and live.hub.scenario.scenario.name == "mine"
