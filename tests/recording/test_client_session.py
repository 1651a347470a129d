"""The real client (2.4.0) through ``fakehub record``, then ``fakehub replay``: same story.

The session creates a Space, uploads its app, polls until it runs, runs a job, follows its logs
and cancels another. The upstream is a second fakehub with per-poll progression, so the client's
own polling loops drive it and the story is deterministic.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from fakehub.config import DEFAULT_WRITE_TOKEN
from fakehub.machines.policy import Policy
from fakehub.server import ServerThread
from tests.clients.driver import ClientWorker
from tests.clients.versions import BY_LABEL

SPACE_SECRET = "space-secret-value-0001"
JOB_SECRET = "job-secret-value-0002"

SESSION = f"""
def value(x):
    return getattr(x, "value", x)

api.create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
api.add_space_secret("fakeuser/demo", "DB_PASSWORD", "{SPACE_SECRET}")
api.upload_file(
    path_or_fileobj=b"import gradio as gr\\n", path_in_repo="app.py",
    repo_id="fakeuser/demo", repo_type="space",
)
stages = []
while not stages or stages[-1] != "RUNNING":
    stages.append(value(api.get_space_runtime("fakeuser/demo").stage))
    assert len(stages) < 30, stages
job = api.run_job(
    image="python:3.12", command=["echo", "hello from the job"], flavor="cpu-basic",
    secrets={{"API_KEY": "{JOB_SECRET}"}},
)
job_stages = []
while not job_stages or job_stages[-1] not in ("COMPLETED", "ERROR", "CANCELED"):
    job_stages.append(value(api.inspect_job(job_id=job.id).status.stage))
    assert len(job_stages) < 30, job_stages
logs = list(api.fetch_job_logs(job_id=job.id, follow=True))
other = api.run_job(image="python:3.12", command=["sleep", "600"], flavor="cpu-basic")
api.cancel_job(job_id=other.id)
result = {{
    "stages": stages,
    "job_stages": job_stages,
    "logs": logs,
    "canceled": value(api.inspect_job(job_id=other.id).status.stage),
    "job_id": job.id,
}}
"""


@contextmanager
def fakehub_command(*args: str) -> Iterator[str]:
    """Run ``fakehub ARGS`` as a process; yield the URL it serves; stop it with SIGTERM."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakehub", *args, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert " at http://" in first, first + (proc.stderr.read() if proc.stderr else "")
        yield first.split(" at ", 1)[1].split()[0].rstrip(",")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
        # 0: stopped cleanly, and (replay) every request found its recorded answer
        assert proc.returncode == 0, err


def run_session(url: str) -> Any:
    worker = ClientWorker(BY_LABEL["2.4.0"], url, DEFAULT_WRITE_TOKEN)
    try:
        return worker.exec(SESSION)
    finally:
        worker.close()


@pytest.fixture
def recorded(live: ServerThread, tmp_path: Path) -> tuple[Path, Any]:
    live.hub.set_policy("space", Policy.parse("per-poll(2)"))
    live.hub.set_policy("job", Policy.parse("per-poll(1)"))
    cassette = tmp_path / "story.yaml"
    with fakehub_command("record", "--upstream", live.url, "--out", str(cassette)) as url:
        story = run_session(url)
    return cassette, story


def test_replay_shows_the_client_the_recorded_story(recorded: tuple[Path, Any]) -> None:
    cassette, story = recorded
    assert story["stages"][0] == "BUILDING" and story["stages"][-1] == "RUNNING"
    assert story["stages"].count("BUILDING") >= 2
    assert story["job_stages"][-1] == "COMPLETED"
    assert "hello from the job" in "\n".join(story["logs"])
    assert story["canceled"] == "CANCELED"
    with fakehub_command("replay", str(cassette)) as url:
        assert run_session(url) == story


def test_no_credential_used_in_the_session_is_in_the_cassette(
    recorded: tuple[Path, Any],
) -> None:
    cassette, _ = recorded
    text = cassette.read_text()
    for credential in (DEFAULT_WRITE_TOKEN, SPACE_SECRET, JOB_SECRET):
        assert credential not in text
    assert "<scrubbed:secret>" in text


USER_MODULE = """
import json
import pathlib

import pytest
from huggingface_hub import HfApi

HERE = pathlib.Path(__file__).parent


@pytest.mark.fake_hub(replay="story.yaml")
def test_the_recorded_story(fake_hub):
    scope = {"api": HfApi()}
    exec((HERE / "session_code.py").read_text(), scope)
    assert scope["result"] == json.loads((HERE / "story.json").read_text())


@pytest.mark.fake_hub(replay="story.yaml")
def test_a_request_the_cassette_lacks(fake_hub):
    HfApi().get_space_runtime("fakeuser/other")


@pytest.mark.fake_hub(replay="missing.yaml")
def test_a_missing_cassette(fake_hub):
    pass
"""


def run_user_suite(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "PYTEST_"))}
    return pytester.run(
        "env",
        "-i",
        *(f"{k}={v}" for k, v in env.items()),
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        *args,
        timeout=300,
    )


def test_the_marker_replays_the_story_and_fails_clearly_on_a_miss(
    recorded: tuple[Path, Any], pytester: pytest.Pytester
) -> None:
    cassette, story = recorded
    shutil.copy(cassette, pytester.path / "story.yaml")
    (pytester.path / "story.json").write_text(json.dumps(story))
    (pytester.path / "session_code.py").write_text(SESSION)
    pytester.makepyfile(test_user=USER_MODULE)
    result = run_user_suite(pytester)
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ test_a_request_the_cassette_lacks _*",
            "fakehub replay: the cassette holds no recorded answer for "
            "GET /api/spaces/fakeuser/other/runtime",
            "Closest recorded requests:",
            "  - GET /api/spaces/fakeuser/demo/runtime",
            "      path: /api/spaces/fakeuser/other/runtime "
            "(recorded /api/spaces/fakeuser/demo/runtime)",
        ]
    )
    result.stdout.fnmatch_lines(["*fake_hub(replay=...): cassette not found: *missing.yaml*"])


def test_the_recording_becomes_an_editable_scenario(
    recorded: tuple[Path, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fakehub.cli import main
    from fakehub.scenario.loader import load as load_scenario

    cassette, story = recorded
    out = tmp_path / "story.scenario.yaml"
    assert main(["scenario", "from-recording", str(cassette), "--out", str(out)]) == 0
    scenario = load_scenario(out).scenario  # valid scenario format v1
    (space,) = scenario.spaces
    assert space.id == "fakeuser/demo" and space.sdk == "gradio"
    assert space.files == {"app.py": "import gradio as gr\n"}
    assert space.secrets == {"DB_PASSWORD": "<scrubbed:secret>"}
    # stages moved while the virtual clock stood still, two polls per stage: per-poll(2)
    assert scenario.policies["space"].policy == "per-poll(2)"  # type: ignore[union-attr]
    finished, canceled = scenario.jobs
    assert finished.command == ["echo", "hello from the job"]
    assert finished.outcome is not None and finished.outcome.stage == "COMPLETED"
    assert finished.outcome.logs == story["logs"]
    assert canceled.command == ["sleep", "600"]
    assert [(e.action, e.args) for e in scenario.timeline] == [("cancel_job", {"job": 1})]
    assert SPACE_SECRET not in out.read_text() and JOB_SECRET not in out.read_text()
    assert main(["scenario", "from-recording", str(tmp_path / "absent.yaml")]) == 2
    assert "cassette not found" in capsys.readouterr().err
