"""The real client's scheduled-job methods (0.36.2 where its host allows, 1.28.0, 2.4.0)."""

from __future__ import annotations

import pytest

from fakehub.domain.accounts import Actor
from fakehub.domain.jobs.records import JobSpec
from fakehub.domain.jobs.scheduled import ScheduledJob
from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

CMD = ["python", "-c", "print('hi')"]


@pytest.mark.clients("1.28.0", "2.4.0")
def test_scheduled_lifecycle(hf: ClientWorker, live: ServerThread) -> None:
    created = hf.call(
        "create_scheduled_job",
        image="python:3.12",
        command=CMD,
        schedule="@hourly",
        labels={"t": "1"},
    )
    sid = created["id"]
    assert created["schedule"] == "@hourly" and created["suspend"] is False
    assert created["status"]["next_job_run_at"].startswith("2026-01-01T01:00:00")
    live.hub.advance(2 * 3600 + 1)
    inspected = hf.call("inspect_scheduled_job", scheduled_job_id=sid)
    assert inspected["status"]["last_job"]["at"].startswith("2026-01-01T02:00:00")
    runs = hf.call("list_jobs")
    assert len(runs) == 2 and {r["initiator"]["type"] for r in runs} == {"scheduled-job"}
    assert [s["id"] for s in hf.call("list_scheduled_jobs")] == [sid]
    hf.call("suspend_scheduled_job", scheduled_job_id=sid)
    assert hf.call("inspect_scheduled_job", scheduled_job_id=sid)["suspend"] is True
    live.hub.advance(3 * 3600)
    assert len(hf.call("list_jobs")) == 2
    hf.call("resume_scheduled_job", scheduled_job_id=sid)
    triggered = hf.call("trigger_scheduled_job", scheduled_job_id=sid)
    assert triggered["initiator"]["id"] == sid
    with pytest.raises(ClientError) as busy:
        hf.call("trigger_scheduled_job", scheduled_job_id=sid)
    assert busy.value.status == 409
    # the Hub's own words (its published schema fixes this message)
    assert busy.value.server_message == (
        "Another job is already running at the same time, set `concurrency` to allow multiple "
        "instances of scheduled jobs to run concurrently"
    )
    relabeled = hf.call("update_scheduled_job_labels", scheduled_job_id=sid, labels={"x": "y"})
    assert relabeled["job_spec"]["labels"] == {"x": "y"}
    hf.call("delete_scheduled_job", scheduled_job_id=sid)
    with pytest.raises(ClientError) as gone:
        hf.call("inspect_scheduled_job", scheduled_job_id=sid)
    assert gone.value.is_a("JobNotFoundError")


@pytest.mark.clients("2.4.0")
def test_reschedule_and_label_filter(hf: ClientWorker) -> None:
    first = hf.call("create_scheduled_job", image="python:3.12", command=CMD, schedule="@daily")
    hf.call(
        "create_scheduled_job",
        image="python:3.12",
        command=CMD,
        schedule="*/10 * * * *",
        labels={"team": "ml"},
    )
    moved = hf.call(
        "update_scheduled_job_schedule", scheduled_job_id=first["id"], schedule="0 6 * * *"
    )
    assert moved["schedule"] == "0 6 * * *"
    assert moved["status"]["next_job_run_at"].startswith("2026-01-01T06:00:00")
    labelled = hf.call("list_scheduled_jobs", labels={"team": "ml"})
    assert [s["schedule"] for s in labelled] == ["*/10 * * * *"]
    with pytest.raises(ClientError) as bad:
        hf.call("create_scheduled_job", image="python:3.12", command=CMD, schedule="every day")
    assert bad.value.is_a("BadRequestError") and "invalid schedule 'every day'" in bad.value.message


@pytest.mark.clients("1.28.0", "2.4.0")
def test_scheduled_uv_job_with_url(hf: ClientWorker) -> None:
    url = "https://example.com/etl.py"
    created = hf.call("create_scheduled_uv_job", url, schedule="@weekly")
    assert created["job_spec"]["command"] == ["uv", "run", url]
    assert created["status"]["next_job_run_at"].startswith("2026-01-04T00:00:00")


def _direct_scheduled(live: ServerThread) -> ScheduledJob:
    hub = live.hub
    actor = Actor(user=hub.ctx.accounts.users["fakeuser"], role="write")
    spec = JobSpec("cpu-basic", tuple(CMD), "python:3.12")
    return hub.jobs.scheduled.create(actor, "fakeuser", spec, "@hourly")


@pytest.mark.clients("0.36.2")
def test_036_scheduled_list_inspect_suspend_resume_delete(
    hf: ClientWorker, live: ServerThread
) -> None:
    item = _direct_scheduled(live)
    assert [s["id"] for s in hf.call("list_scheduled_jobs")] == [item.id]
    hf.call("suspend_scheduled_job", scheduled_job_id=item.id)
    assert hf.call("inspect_scheduled_job", scheduled_job_id=item.id)["suspend"] is True
    hf.call("resume_scheduled_job", scheduled_job_id=item.id)
    live.hub.advance(3601)
    last = hf.call("inspect_scheduled_job", scheduled_job_id=item.id)["status"]["last_job"]
    assert last["id"] in live.hub.jobs.runs.jobs
    hf.call("delete_scheduled_job", scheduled_job_id=item.id)
    assert hf.call("list_scheduled_jobs") == []
