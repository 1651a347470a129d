"""Flavor outages and billing seen through the real client (2.4.0): hardware requests and jobs
wait for capacity, then proceed once the outage ends; the bill follows what ran."""

from __future__ import annotations

from typing import Any

import pytest

from fakehub.server import ServerThread
from tests.clients.driver import ClientWorker

pytestmark = pytest.mark.clients("2.4.0")

ID = "fakeuser/demo"


def _running_space(hf: ClientWorker, live: ServerThread) -> None:
    hf.call("create_repo", ID, repo_type="space", space_sdk="gradio")
    hf.exec(
        "api.upload_file(path_or_fileobj=b'import gradio\\n', path_in_repo='app.py', "
        "repo_id=repo_id, repo_type='space')",
        repo_id=ID,
    )
    live.hub.advance(40)
    assert hf.call("get_space_runtime", ID)["stage"] == "RUNNING"


def test_a_hardware_request_waits_out_the_outage(hf: ClientWorker, live: ServerThread) -> None:
    _running_space(hf, live)
    live.hub.outages.add("a10g-small", duration_s=600, kind="space")
    runtime = hf.call("request_space_hardware", ID, "a10g-small")
    assert runtime["stage"] == "RUNNING_BUILDING"
    assert (runtime["hardware"], runtime["requested_hardware"]) == ("cpu-basic", "a10g-small")
    live.hub.advance(599)
    runtime = hf.call("get_space_runtime", ID)
    assert (runtime["stage"], runtime["hardware"]) == ("RUNNING_BUILDING", "cpu-basic")
    assert runtime["requested_hardware"] == "a10g-small"
    assert live.hub.paid_hardware_running() == ()
    live.hub.advance(1 + 40)
    runtime = hf.call("get_space_runtime", ID)
    assert (runtime["stage"], runtime["hardware"]) == ("RUNNING", "a10g-small")
    (held,) = live.hub.paid_hardware_running()
    assert (held.kind, held.id, held.flavor) == ("space", ID, "a10g-small")
    hf.call("pause_space", ID)
    assert live.hub.paid_hardware_running() == ()


def test_run_job_stays_scheduling_then_runs(hf: ClientWorker, live: ServerThread) -> None:
    live.hub.outages.add("a10g-small", duration_s=600)
    job: dict[str, Any] = hf.call(
        "run_job", image="python:3.12", command=["python", "-c", "print(1)"], flavor="a10g-small"
    )
    live.hub.advance(300)
    waiting = hf.call("inspect_job", job_id=job["id"])
    assert waiting["status"]["stage"] == "SCHEDULING"
    assert waiting["status"]["message"] == "Waiting for a10g-small capacity"
    live.hub.advance(300 + 5)
    running = hf.call("inspect_job", job_id=job["id"])
    assert running["status"]["stage"] == "RUNNING"
    assert running["status"]["message"] is None
    live.hub.advance(60)
    assert hf.call("inspect_job", job_id=job["id"])["status"]["stage"] == "COMPLETED"
    report = live.hub.billing()
    assert report.cost_micro_usd(f"job:{job['id']}") == 16667  # one minute of A10G
    assert report.running_paid == ()
