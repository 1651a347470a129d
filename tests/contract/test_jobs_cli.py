"""The 2.4.0 ``hf jobs`` CLI against the live fake (instant policy: runs end without a clock)."""

from __future__ import annotations

import json
import subprocess

import pytest

from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.machines.policy import Policy
from fakehub.server import ServerThread
from tests.clients.driver import ClientWorker

pytestmark = pytest.mark.clients("2.4.0")


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _job_id(output: str) -> str:
    return next(line.split(":", 1)[1].strip() for line in output.splitlines() if "id:" in line)


@pytest.fixture
def instant(live: ServerThread) -> ServerThread:
    live.hub.set_policy("job", Policy(kind="instant"))
    return live


def test_run_attached_shows_logs_and_exit_status(hf: ClientWorker, instant: ServerThread) -> None:
    instant.hub.jobs.queue_outcomes(
        JobOutcome.of(logs=["hello", "world"]),
        JobOutcome.of(logs=["oops"], exit_code=2, message="boom"),
    )
    ok = _ok(hf.cli("jobs", "run", "python:3.12", "python", "-c", "print(1)"))
    assert "hello\nworld\n" in ok and "completed" in ok
    failed = hf.cli("jobs", "run", "python:3.12", "python", "-c", "raise SystemExit(2)")
    assert failed.returncode != 0
    assert "oops" in failed.stdout
    assert "finished with stage 'ERROR': boom" in failed.stdout + failed.stderr


def test_detach_ps_inspect_logs_wait_cancel(hf: ClientWorker, instant: ServerThread) -> None:
    instant.hub.jobs.queue_outcomes(JobOutcome.of(logs=["line"]), JobOutcome(stage="RUNNING"))
    done = _job_id(_ok(hf.cli("jobs", "run", "-d", "python:3.12", "echo", "hi")))
    hanging = _job_id(_ok(hf.cli("jobs", "run", "--detach", "python:3.12", "sleep", "inf")))
    listed = json.loads(_ok(hf.cli("jobs", "ps", "--format", "json")))
    assert [job["id"] for job in listed] == [hanging]
    everything = json.loads(_ok(hf.cli("jobs", "ps", "-a", "--format", "json")))
    assert [job["id"] for job in everything] == [hanging, done]
    inspected = json.loads(_ok(hf.cli("jobs", "inspect", done, "--format", "json")))
    assert inspected[0]["status"]["stage"] == "COMPLETED"
    assert _ok(hf.cli("jobs", "logs", done)) == "line\n"
    waited = json.loads(_ok(hf.cli("jobs", "wait", done, "--format", "json")))
    assert waited == [{"id": done, "stage": "COMPLETED", "message": None}]
    stats = _ok(hf.cli("jobs", "stats"))
    assert hanging[:8] in stats
    _ok(hf.cli("jobs", "cancel", hanging))
    assert instant.hub.jobs.runs.jobs[hanging].stage.value == "CANCELED"


def test_hardware_table(hf: ClientWorker) -> None:
    table = _ok(hf.cli("jobs", "hardware", "--format", "json"))
    names = {row["name"] for row in json.loads(table)}
    assert {"cpu-basic", "a10g-small", "h200x8"} <= names


def test_scheduled_commands(hf: ClientWorker, live: ServerThread) -> None:
    created = _ok(
        hf.cli("jobs", "scheduled", "run", "@daily", "python:3.12", "python", "-c", "print(1)")
    )
    sid = next(word for word in created.split() if len(word) == 24 and word.isalnum())
    assert sid in live.hub.jobs.scheduled.items
    listed = json.loads(_ok(hf.cli("jobs", "scheduled", "ps", "--format", "json")))
    assert [item["id"] for item in listed] == [sid]
    inspected = json.loads(_ok(hf.cli("jobs", "scheduled", "inspect", sid, "--format", "json")))
    assert inspected[0]["schedule"] == "@daily"
    _ok(hf.cli("jobs", "scheduled", "suspend", sid))
    assert live.hub.jobs.scheduled.items[sid].suspend is True
    _ok(hf.cli("jobs", "scheduled", "resume", sid))
    assert live.hub.jobs.scheduled.items[sid].suspend is False
    _ok(hf.cli("jobs", "scheduled", "delete", sid))
    assert live.hub.jobs.scheduled.items == {}


def test_a_sandbox_is_refused_as_not_faked_and_leaves_no_job(
    hf: ClientWorker, live: ServerThread
) -> None:
    created = hf.cli("sandbox", "create")
    assert created.returncode != 0
    said = created.stdout + created.stderr
    assert "501 Not Implemented" in said and "sandboxes are not faked" in said
    assert live.hub.jobs.runs.jobs == {}
