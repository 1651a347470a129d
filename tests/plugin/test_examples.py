"""The README's examples of the ``fake_hub`` fixture, run as they are written there.

Each block is "code under test" (it would live in your project and never mentions fakehub)
followed by its test.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from huggingface_hub import HfApi

# -- Example 1: a deploy script -----------------------------------------------------------------


def deploy(
    repo_id: str, app_code: str, *, every: float = 10, sleep: Callable[[float], object] = time.sleep
) -> str:
    """Create the Space, push app.py, wait until it runs (code under test)."""
    api = HfApi()
    api.create_repo(repo_id, repo_type="space", space_sdk="gradio", exist_ok=True)
    api.upload_file(
        path_or_fileobj=app_code.encode(),
        path_in_repo="app.py",
        repo_id=repo_id,
        repo_type="space",
    )
    while True:
        stage = api.get_space_runtime(repo_id).stage
        if stage == "RUNNING":
            return api.space_info(repo_id).id
        if stage.endswith("_ERROR"):
            raise RuntimeError(f"{repo_id} failed to start: {stage}")
        sleep(every)


def test_deploy_waits_until_running(fake_hub):
    # Sleeping advances the fake's virtual clock: 30 s build + 10 s start, polled every 10 s.
    assert deploy("fakeuser/demo", "import gradio as gr\n", sleep=fake_hub.advance) == (
        "fakeuser/demo"
    )
    assert fake_hub.now.isoformat() == "2026-01-01T00:00:40+00:00"


# -- Example 2: a job launcher ------------------------------------------------------------------


class JobFailed(RuntimeError):
    pass


def launch(script: str) -> list[str]:
    """Run a script as a Job, wait for it, return its logs (code under test)."""
    api = HfApi()
    job = api.run_job(image="python:3.12", command=["python", "-c", script])
    job = api.wait_for_job(job_id=job.id)
    logs = list(api.fetch_job_logs(job_id=job.id))
    if job.status.stage != "COMPLETED":
        raise JobFailed(f"job {job.id} ended {job.status.stage}: {logs[-1] if logs else ''}")
    return logs


@pytest.mark.fake_hub(job_policy="instant")
def test_launcher_returns_the_logs(fake_hub):
    logs = launch("print('hello')")
    assert logs[-1] == "fakehub: exited with code 0"


# -- Example 3: a polling loop under the per-poll policy ---------------------------------------


def wait_until_running(api: HfApi, repo_id: str, max_polls: int = 100) -> int:
    """Poll without sleeping; return how many polls it took (code under test)."""
    for polls in range(1, max_polls + 1):
        if api.get_space_runtime(repo_id).stage == "RUNNING":
            return polls
    raise TimeoutError(repo_id)


@pytest.mark.fake_hub(space_policy="per-poll(2)")
def test_polling_loop_is_deterministic(fake_hub):
    api = HfApi()
    api.create_repo("fakeuser/poller", repo_type="space", space_sdk="gradio")
    api.upload_file(
        path_or_fileobj=b"import gradio\n",
        path_in_repo="app.py",
        repo_id="fakeuser/poller",
        repo_type="space",
    )
    # BUILDING -> APP_STARTING -> RUNNING, one step every 2 reads: RUNNING on the 5th poll.
    assert wait_until_running(api, "fakeuser/poller") == 5
    runtime_polls = [r for r in fake_hub.requests if r.path.endswith("/runtime")]
    assert len(runtime_polls) == 5


# -- Example 4: failure injection ---------------------------------------------------------------


@pytest.mark.fake_hub(job_policy="instant")
def test_launcher_reports_a_failed_job(fake_hub):
    fake_hub.control.queue_job_outcomes(
        {"exitCode": 1, "logs": ["loading data", "ValueError: empty dataset"]}
    )
    with pytest.raises(JobFailed, match="ended ERROR"):
        launch("import train")


def test_deploy_fails_loudly_on_a_hub_outage(fake_hub):
    # A Hub outage on the runtime route: the deploy script does not retry, so it fails loudly.
    fake_hub.control.add_fault(route="/api/spaces/{namespace}/{name}/runtime", status=503)
    with pytest.raises(Exception, match="503"):
        deploy("fakeuser/demo", "import gradio\n", sleep=fake_hub.advance)
