"""``serve --state``: what was acknowledged is in the file; a restart gives the same state."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakehub import HubConfig
from fakehub.clock import NS_PER_SECOND
from tests.durable import Durable

JOB = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}
SCHEDULED = {"jobSpec": {**JOB}, "schedule": "@hourly"}


def _setup(hub: Durable) -> dict[str, str]:
    c = hub.client
    assert c.post("/api/repos/create", json={"type": "space", "name": "demo", "sdk": "gradio"})
    assert c.post("/api/spaces/fakeuser/demo/hardware", json={"flavor": "t4-small"}).is_success
    assert c.post("/api/spaces/fakeuser/demo/secrets", json={"key": "K", "value": "s3"}).is_success
    assert c.post("/api/spaces/fakeuser/demo/variables", json={"key": "V", "value": "1"})
    job = c.post("/api/jobs/fakeuser", json=JOB).json()
    scheduled = c.post("/api/scheduled-jobs/fakeuser", json=SCHEDULED).json()
    assert c.put("/_fakehub/policies/job", json={"policy": "instant"}).is_success
    assert c.post("/_fakehub/outages", json={"flavor": "a10g-small", "duration": "1h"})
    assert c.post("/_fakehub/faults", json={"status": 503, "route": "/api/whoami-v2"})
    assert c.post("/_fakehub/clock/advance", json={"seconds": 90}).is_success
    return {"job": job["id"], "scheduled": scheduled["id"]}


def test_a_crash_loses_no_acknowledged_write(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db")
    _setup(first)
    before = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.replayed > 0
    assert again.dump() == before
    assert again.state.diverged == []


def test_pending_transitions_and_cron_fire_when_due_after_a_restart(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db")
    _setup(first)
    first.crash()
    again = Durable(tmp_path / "state.db")
    twin = Durable(tmp_path / "twin.db")
    _setup(twin)
    for hub in (again, twin):
        hub.client.post("/_fakehub/clock/advance", json={"seconds": 7200})
    assert again.dump()["jobs"] == twin.dump()["jobs"]  # the hourly occurrences ran
    assert len(again.client.get("/api/jobs/fakeuser").json()) > 1


def test_a_clean_stop_leaves_one_snapshot_and_nothing_to_replay(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db")
    _setup(first)
    before = first.dump()
    first.stop()
    again = Durable(tmp_path / "state.db")
    assert again.replayed == 0
    assert again.dump() == before


def test_snapshots_bound_the_replay(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db", snapshot_every=4)
    _setup(first)
    before = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db", snapshot_every=4)
    assert again.replayed < 4
    assert again.dump() == before


def test_refused_requests_are_not_journaled(tmp_path: Path) -> None:
    hub = Durable(tmp_path / "state.db")
    before = hub.state.file.last_seq
    assert (
        hub.client.post("/api/spaces/fakeuser/nope/hardware", json={"flavor": "x"}).status_code
        == 404
    )
    assert hub.client.post("/_fakehub/clock/advance", json={"seconds": -1}).status_code == 400
    assert hub.client.get("/api/jobs/fakeuser").status_code == 200
    assert hub.state.file.last_seq == before


def test_reset_empties_the_store(tmp_path: Path) -> None:
    hub = Durable(tmp_path / "state.db")
    _setup(hub)
    assert hub.client.post("/_fakehub/reset").is_success
    assert hub.state.file.journal_length() == 0
    fresh = hub.dump()
    hub.crash()
    again = Durable(tmp_path / "state.db")
    assert again.replayed == 0
    assert again.dump() == fresh
    assert again.client.get("/api/jobs/fakeuser").json() == []


def test_a_manual_clock_stays_where_it_was(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db")
    first.client.post("/_fakehub/clock/advance", json={"seconds": 3600})
    now = first.hub.now()
    first.crash()
    assert Durable(tmp_path / "state.db").hub.now() == now


def test_a_realtime_clock_continues_from_the_saved_virtual_time(tmp_path: Path) -> None:
    config = HubConfig(clock_mode="realtime", clock_speed=1000.0)
    first = Durable(tmp_path / "state.db", config)
    first.client.post("/api/repos/create", json={"type": "space", "name": "demo", "sdk": "gradio"})
    first.state.heartbeat()
    saved = first.state.file.saved_clock()
    assert saved is not None
    first.crash()
    again = Durable(tmp_path / "state.db", HubConfig())  # the file's clock wins over options
    assert again.hub.clock_state().mode == "realtime"
    now = again.hub.now()
    assert saved <= now < saved + 3600 * NS_PER_SECOND  # no jump over the time it was down


def test_secret_values_stay_in_the_file_and_out_of_answers(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db")
    _setup(first)
    first.crash()
    again = Durable(tmp_path / "state.db")
    space = again.hub.space_store
    assert "s3" not in again.client.get("/_fakehub/state").text
    assert "s3" not in again.client.get("/api/spaces/fakeuser/demo/secrets").text
    assert space is not None
    assert (tmp_path / "state.db").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("policy", ["per-poll(2)", "timed"])
def test_reads_that_count_as_polls_are_journaled_under_per_poll(
    tmp_path: Path, policy: str
) -> None:
    first = Durable(tmp_path / "state.db")
    first.client.put("/_fakehub/policies/job", json={"policy": policy})
    job = first.client.post("/api/jobs/fakeuser", json=JOB).json()
    for _ in range(3):
        first.client.get(f"/api/jobs/fakeuser/{job['id']}")
    before = first.dump()
    first.crash()
    assert Durable(tmp_path / "state.db").dump() == before


def test_a_write_the_file_cannot_take_is_refused_and_so_are_later_ones(tmp_path: Path) -> None:
    hub = Durable(tmp_path / "state.db")
    hub.state.file.close()  # as if the disk went away
    refused = hub.client.post("/_fakehub/clock/advance", json={"seconds": 5})
    assert refused.status_code == 503
    assert "cannot write its state file" in refused.json()["error"]
    assert hub.client.post("/_fakehub/policies/job", json={"policy": "instant"}).status_code == 503
    assert hub.client.get("/_fakehub/clock").status_code == 200  # reads still answer


def test_control_writes_replay_whatever_the_control_token_is_now(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db", control_token="first-token")
    guarded = {"authorization": "Bearer first-token"}
    assert first.client.post("/_fakehub/clock/advance", json={"seconds": 60}).status_code == 401
    advanced = first.client.post("/_fakehub/clock/advance", json={"seconds": 60}, headers=guarded)
    assert advanced.status_code == 200
    now = first.hub.now()
    first.crash()
    again = Durable(tmp_path / "state.db", control_token="another-token")
    assert again.hub.now() == now
    assert again.state.diverged == []


def test_visits_through_a_space_app_host_are_kept(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db")
    first.client.post("/api/repos/create", json={"type": "space", "name": "demo", "sdk": "gradio"})
    before_visit = first.state.file.last_seq
    first.client.get("/", headers={"host": "fakeuser-demo.hf.space"})
    assert first.state.file.last_seq == before_visit + 1
    first.client.post("/_fakehub/clock/advance", json={"seconds": 3600})
    first.client.get("/", headers={"host": "fakeuser-demo.hf.space"})
    before = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.dump() == before
    assert again.state.diverged == []


def test_state_and_storage_dir_do_not_combine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fakehub.cli import main

    args = ["serve", "--state", str(tmp_path / "s.db"), "--storage-dir", str(tmp_path / "blobs")]
    assert main([*args, "--port", "0"]) == 2
    assert "cannot be combined" in capsys.readouterr().err
    assert not (tmp_path / "s.db").exists()


def test_a_xet_token_issued_by_a_get_is_kept(tmp_path: Path) -> None:
    # The token is state (the uploads that follow present it) and is drawn from the seeded ids:
    # left out of the journal, every later id would differ after a restart.
    first = Durable(tmp_path / "state.db")
    first.client.post("/api/repos/create", json={"type": "space", "name": "demo", "sdk": "gradio"})
    token = first.client.get("/api/spaces/fakeuser/demo/xet-write-token/main")
    assert token.status_code == 200
    assert first.client.post("/api/jobs/fakeuser", json=JOB).status_code == 200
    before = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.dump() == before
    assert again.state.diverged == []
