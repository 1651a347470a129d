"""The real client's Jobs API (1.28.0 and 2.4.0; 0.36.2 where its hard-coded host allows)."""

from __future__ import annotations

from typing import Any

import pytest

from fakehub.config import HubConfig, UserSpec, default_users
from fakehub.domain.accounts import Actor
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import Job, JobSpec
from fakehub.machines.policy import Policy
from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

pytestmark = pytest.mark.clients("1.28.0", "2.4.0")

CMD = ["python", "-c", "print(1)"]


def _direct_job(live: ServerThread, **spec: Any) -> Job:
    """A job made through the fake's Python API (0.36's run_job hard-codes huggingface.co)."""
    hub = live.hub
    actor = Actor(user=hub.ctx.accounts.users["fakeuser"], role="write")
    return hub.jobs.run(actor, "fakeuser", JobSpec("cpu-basic", tuple(CMD), "python:3.12", **spec))


def _run(hf: ClientWorker, **kwargs: Any) -> dict[str, Any]:
    job: dict[str, Any] = hf.call("run_job", image="python:3.12", command=CMD, **kwargs)
    return job


def test_run_inspect_and_stage_machine(hf: ClientWorker, live: ServerThread) -> None:
    job = _run(
        hf, env={"MODE": "b"}, secrets={"HF_TOKEN": "hf_x"}, flavor="a10g-small", timeout="5m"
    )
    assert job["status"]["stage"] == "SCHEDULING" and len(job["id"]) == 24
    assert job["secrets"] == ["HF_TOKEN"] and job["owner"]["type"] == "user"
    assert job["labels"]["name"] == "python-3-12-3212e188"
    assert job["url"].endswith(f"/jobs/fakeuser/{job['id']}")
    live.hub.advance(6)
    running = hf.call("inspect_job", job_id=job["id"])
    assert running["status"]["stage"] == "RUNNING"
    assert running["durations"]["scheduling_secs"] == 5
    live.hub.advance(60)
    done = hf.call("inspect_job", job_id=job["id"])
    assert done["status"]["stage"] == "COMPLETED"
    assert done["finished_at"].startswith("2026-01-01T00:01:05")


def test_list_filters_and_pagination(hf: ClientWorker, live: ServerThread) -> None:
    ids = [_run(hf, labels={"team": "ml"})["id"] for _ in range(3)]
    other = _run(hf, labels={"team": "web"})["id"]
    hf.call("cancel_job", job_id=ids[0])
    live.hub.jobs.page_size = 2
    everything = hf.call("list_jobs")
    assert [j["id"] for j in everything] == [other, ids[2], ids[1], ids[0]]
    filtered = hf.call("list_jobs", status=["SCHEDULING"], labels={"team": "ml"})
    assert [j["id"] for j in filtered] == [ids[2], ids[1]]
    canceled = hf.call("list_jobs", status="CANCELED")
    assert [j["id"] for j in canceled] == [ids[0]]


def test_logs_no_follow_on_a_finished_job(hf: ClientWorker, live: ServerThread) -> None:
    live.hub.jobs.queue_outcomes(JobOutcome.of(logs=["alpha", "beta", "gamma"], seconds=9))
    job = _run(hf)
    live.hub.advance(60)
    assert hf.call("fetch_job_logs", job_id=job["id"]) == ["alpha", "beta", "gamma"]
    assert hf.call("fetch_job_logs", job_id=job["id"], tail=2) == ["beta", "gamma"]


def test_logs_follow_returns_every_line_and_terminates(
    hf: ClientWorker, live: ServerThread
) -> None:
    lines = [f"step {i}" for i in range(8)]
    live.hub.jobs.queue_outcomes(JobOutcome.of(logs=lines, seconds=40, exit_code=1))
    job = _run(hf)
    live.hub.set_clock_mode("realtime", speed=40)  # the run takes about a real second
    assert hf.call("fetch_job_logs", job_id=job["id"], follow=True) == lines
    final = hf.call("inspect_job", job_id=job["id"])
    assert final["status"]["stage"] == "ERROR"
    assert final["status"]["message"] == "Job failed with exit code 1"


def test_metrics_first_sample_and_follow(hf: ClientWorker, live: ServerThread) -> None:
    live.hub.jobs.queue_outcomes(JobOutcome(seconds=30, metrics={"cpu_usage_pct": 42.0}))
    job = _run(hf, flavor="t4-small")
    live.hub.advance(10)
    if hf.major >= 2:
        samples = hf.call("fetch_job_metrics", job_id=job["id"])
        assert len(samples) == 1
    else:  # 1.28 always follows: let the run end on a fast clock
        live.hub.set_clock_mode("realtime", speed=30)
        samples = hf.call("fetch_job_metrics", job_id=job["id"])
        assert len(samples) >= 1
    assert samples[0]["cpu_usage_pct"] == 42.0 and len(samples[0]["gpus"]) == 1
    live.hub.set_clock_mode("manual")
    live.hub.advance(60)
    if hf.major >= 2:  # 406 for a finished job is tolerated by 2.x
        assert hf.call("fetch_job_metrics", job_id=job["id"]) == []


def test_hardware(hf: ClientWorker) -> None:
    flavors = {f["name"]: f for f in hf.call("list_jobs_hardware")}
    assert flavors["cpu-basic"]["unit_cost_usd"] == 0.000167
    assert flavors["a100x8"]["accelerator"]["quantity"] == "8"


def test_wait_for_job_under_per_poll(hf: ClientWorker, live: ServerThread) -> None:
    live.hub.set_policy("job", Policy(kind="per-poll", polls=1))
    job = _run(hf)
    done = hf.call("wait_for_job", job_id=job["id"], poll_interval=0.01)
    assert done["status"]["stage"] == "COMPLETED"


def test_cancel_labels_and_not_found(hf: ClientWorker, live: ServerThread) -> None:
    job = _run(hf)
    hf.call("cancel_job", job_id=job["id"])
    live.hub.advance(3600)
    assert hf.call("inspect_job", job_id=job["id"])["status"]["stage"] == "CANCELED"
    relabeled = hf.call("update_job_labels", job_id=job["id"], labels={"k": "v"})
    assert relabeled["labels"] == {"k": "v"}
    with pytest.raises(ClientError) as missing:
        hf.call("inspect_job", job_id="0123456789abcdef01234567")
    assert missing.value.is_a("JobNotFoundError") and not missing.value.is_a(
        "RepositoryNotFoundError"
    )


def test_bad_input_errors(hf: ClientWorker, live: ServerThread) -> None:
    with pytest.raises(ClientError) as bad:
        _run(hf, flavor="gpu-huge")
    assert bad.value.is_a("BadRequestError") and "unknown flavor 'gpu-huge'" in bad.value.message
    live.hub.reset(HubConfig(users=(*default_users(), UserSpec("alice"))))
    with pytest.raises(ClientError) as forbidden:
        hf.call("list_jobs", namespace="alice")
    assert forbidden.value.status == 403
    assert live.hub.jobs.runs.jobs == {}


@pytest.mark.clients("2.4.0")
def test_rerun_and_expose(hf: ClientWorker) -> None:
    job = _run(hf, attempts=2)
    assert job["retry"] == 1
    rerun = hf.call("rerun_job", job_id=job["id"])
    assert rerun["id"] != job["id"]
    assert rerun["initiator"]["type"] == "duplicated-job" and rerun["initiator"]["id"] == job["id"]
    exposed = hf.call("update_job_expose", job_id=job["id"], expose=[8000], expose_public=[8000])
    assert exposed["status"]["expose_urls"] == [f"https://{job['id']}--8000.hf.jobs"]


def test_run_uv_job_with_a_script_url(hf: ClientWorker) -> None:
    url = "https://example.com/scripts/train.py"
    job = hf.call("run_uv_job", url, dependencies=["rich"], script_args=["--epochs", "1"])
    assert job["docker_image"].startswith("ghcr.io/astral-sh/uv:python3.12")
    assert job["command"] == ["uv", "run", "--with", "rich", url, "--epochs", "1"]
    assert job["labels"]["name"].startswith("train-")


@pytest.mark.clients("0.36.2")
def test_036_list_inspect_cancel(hf: ClientWorker, live: ServerThread) -> None:
    first, second = _direct_job(live), _direct_job(live)
    listed = hf.call("list_jobs")
    assert [j["id"] for j in listed] == [second.id, first.id]
    assert hf.call("inspect_job", job_id=first.id)["status"]["stage"] == "SCHEDULING"
    hf.call("cancel_job", job_id=first.id)
    assert hf.call("inspect_job", job_id=first.id)["status"]["stage"] == "CANCELED"
    with pytest.raises(ClientError) as missing:
        hf.call("inspect_job", job_id="0123456789abcdef01234567")
    assert missing.value.status == 404


def test_a_job_from_a_space_the_caller_cannot_see_is_a_404_naming_it(
    hf: ClientWorker, live: ServerThread
) -> None:
    live.hub.reset(HubConfig(users=(*default_users(), UserSpec("alice"))))
    alice = Actor(user=live.hub.ctx.accounts.users["alice"], role="write")
    from fakehub.domain.spaces.options import SpaceOptions

    live.hub.repos.create(alice, name="hidden", organization=None, sdk="docker",
                          visibility="private", options=SpaceOptions(), endpoint=live.url)  # fmt: skip
    for space in ("alice/hidden", "nobody/nothing"):
        with pytest.raises(ClientError) as missing:
            hf.call("run_job", image=f"hf.co/spaces/{space}", command=CMD)
        assert missing.value.status == 404
        assert f"spaceId: Space {space} not found" in missing.value.server_message
    assert live.hub.jobs.runs.jobs == {}
    live.hub.repos.create(alice, name="shown", organization=None, sdk="docker",
                          visibility="public", options=SpaceOptions(), endpoint=live.url)  # fmt: skip
    job = hf.call("run_job", image="hf.co/spaces/alice/shown", command=CMD)
    assert job["space_id"] == "alice/shown"
