"""Jobs that carry local files: the client ships them through the jobs-artifacts bucket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

pytestmark = pytest.mark.clients("1.28.0", "2.4.0")
ARTIFACTS = "fakeuser/jobs-artifacts"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    script = tmp_path / "train.py"
    script.write_text("print('training')\n")
    config = tmp_path / "cfg.yaml"
    config.write_text("lr: 0.1\n")
    return script, config


def _artifacts_volume(volumes: list[dict[str, Any]]) -> dict[str, Any]:
    found = [v for v in volumes if v["source"] == ARTIFACTS]
    assert len(found) == 1
    return found[0]


def test_run_uv_job_with_a_local_script_and_config(
    hf: ClientWorker, live: ServerThread, tmp_path: Path
) -> None:
    script, config = _files(tmp_path)
    job = hf.call("run_uv_job", str(script), script_args=["--config", str(config)])
    assert job["command"][-4:] == ["/data/train.py", "--config", "/data/cfg.yaml"][-4:] or (
        job["command"][-3:] == ["/data/train.py", "--config", "/data/cfg.yaml"]
    )
    stored = live.hub.jobs.runs.get("fakeuser", job["id"])
    volume = next(v for v in stored.spec.volumes if v.source == ARTIFACTS)
    assert (volume.type, volume.mount_path, volume.read_only) == ("bucket", "/data", False)
    bucket = live.hub.bucket_store.get(ARTIFACTS)
    assert bucket is not None and bucket.private
    assert sorted(bucket.files) == [f"{volume.path}/cfg.yaml", f"{volume.path}/train.py"]
    live.hub.advance(70)
    logs = "\n".join(hf.call("fetch_job_logs", job_id=job["id"]))
    assert "/data/train.py" in logs


def test_create_scheduled_uv_job_with_a_local_script(
    hf: ClientWorker, live: ServerThread, tmp_path: Path
) -> None:
    script, _ = _files(tmp_path)
    scheduled = hf.call("create_scheduled_uv_job", str(script), schedule="@hourly")
    volumes = scheduled["job_spec"]["volumes"]
    assert _artifacts_volume(volumes)["mount_path"] == "/data"
    assert "/data/train.py" in scheduled["job_spec"]["command"]


@pytest.mark.clients("2.4.0")
def test_sync_job_volume_then_run_job(hf: ClientWorker, live: ServerThread, tmp_path: Path) -> None:
    data = tmp_path / "inputs"
    data.mkdir()
    (data / "rows.csv").write_text("a,b\n1,2\n")
    volume = hf.exec(
        "v = api.sync_job_volume(folder, '/inputs', remote_name='inputs')\n"
        "job = api.run_job(image='python:3.12', command=['ls', '/inputs'], volumes=[v])\n"
        "result = [v.source, v.path, v.read_only, job.id]",
        folder=str(data),
    )
    assert volume[:3] == [ARTIFACTS, "inputs", True]
    stored = live.hub.jobs.runs.get("fakeuser", volume[3])
    assert stored.spec.volumes[0].read_only is True
    bucket = live.hub.bucket_store.get(ARTIFACTS)
    assert bucket is not None and "inputs/rows.csv" in bucket.files
    with pytest.raises(ClientError) as refused:
        hf.exec(
            "from huggingface_hub import Volume\n"
            "api.run_job(image='python:3.12', command=['ls'], volumes=[Volume(type='bucket', "
            "source='fakeuser/nope', mount_path='/x')])"
        )
    assert refused.value.status == 400 and "fakeuser/nope" in (refused.value.server_message or "")


@pytest.mark.clients("2.4.0")
def test_hf_jobs_uv_run_detach(hf: ClientWorker, live: ServerThread, tmp_path: Path) -> None:
    script, _ = _files(tmp_path)
    ran = hf.cli("jobs", "uv", "run", "--detach", str(script))
    assert ran.returncode == 0, ran.stderr
    jobs = live.hub.jobs.runs.all() if hasattr(live.hub.jobs.runs, "all") else None
    listed = hf.call("list_jobs")
    assert len(listed) == 1 and listed[0]["id"] in ran.stdout
    assert "/data/train.py" in listed[0]["command"]
    assert jobs is None or len(jobs) == 1
