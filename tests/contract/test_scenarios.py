"""Every shipped scenario loads, and its story plays out with the real client.

Space stories run at 0.20.3 and 2.4.0 (the oldest and newest clients); Job stories at 2.4.0
(0.20.3 has no Jobs API).
"""

from __future__ import annotations

import pytest

from fakehub.scenario.loader import load, resolve, shipped_scenarios
from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

SPACE_CLIENTS = pytest.mark.clients("0.20.3", "2.4.0")
JOB_CLIENTS = pytest.mark.clients("2.4.0")


def play(live: ServerThread, name: str) -> None:
    live.hub.load_scenario(load(resolve(name)))


def stage(hf: ClientWorker, repo_id: str) -> str:
    return str(hf.call("get_space_runtime", repo_id)["stage"])


def runtime(hf: ClientWorker, repo_id: str) -> dict[str, object]:
    raw: dict[str, object] = hf.call("get_space_runtime", repo_id)["raw"]
    return raw


def test_at_least_twelve_scenarios_ship_and_all_validate() -> None:
    shipped = shipped_scenarios()
    assert len(shipped) >= 12
    for name, description in shipped:
        assert description and description != "(invalid scenario)", name


@pytest.mark.parametrize("name", [name for name, _ in shipped_scenarios()])
def test_every_shipped_scenario_loads_into_a_hub(live: ServerThread, name: str) -> None:
    play(live, name)
    assert live.hub.scenario is not None
    live.hub.reset()  # and a reset goes back to it
    assert live.hub.scenario.scenario.name == name


@SPACE_CLIENTS
def test_happy_deploy(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "happy-deploy")
    assert stage(hf, "fakeuser/demo") == "BUILDING"
    live.hub.advance(30)
    assert stage(hf, "fakeuser/demo") == "APP_STARTING"
    live.hub.advance(10)
    rt = runtime(hf, "fakeuser/demo")
    assert rt["stage"] == "RUNNING"
    assert rt["hardware"] == {"current": "cpu-basic", "requested": "cpu-basic"}


@SPACE_CLIENTS
def test_build_error(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "build-error")
    live.hub.advance(30)
    rt = runtime(hf, "fakeuser/broken-build")
    assert rt["stage"] == "BUILD_ERROR"
    assert rt["errorMessage"] == "Build failed with exit code: 1"
    if hf.major >= 1:
        lines = hf.exec("result = list(api.fetch_space_logs('fakeuser/broken-build', build=True))")
        assert any("No matching distribution found for torch==9.9.9" in line for line in lines)


@SPACE_CLIENTS
def test_runtime_crash(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "runtime-crash")
    live.hub.advance(40)
    assert stage(hf, "fakeuser/flaky-app") == "RUNNING"
    live.hub.advance(59)
    assert stage(hf, "fakeuser/flaky-app") == "RUNNING"
    live.hub.advance(1)
    rt = runtime(hf, "fakeuser/flaky-app")
    assert rt["stage"] == "RUNTIME_ERROR"
    assert "device-side assert" in str(rt["errorMessage"])


@SPACE_CLIENTS
def test_hardware_upgrade_waits_for_capacity_then_is_granted(
    hf: ClientWorker, live: ServerThread
) -> None:
    play(live, "hardware-upgrade-queued")
    assert stage(hf, "fakeuser/gpu-app") == "RUNNING"
    rt = hf.call("request_space_hardware", "fakeuser/gpu-app", "a10g-small")
    assert (rt["requested_hardware"], rt["hardware"]) == ("a10g-small", "cpu-basic")
    live.hub.advance(5 * 60)
    rt = hf.call("get_space_runtime", "fakeuser/gpu-app")
    assert rt["stage"] == "RUNNING_BUILDING"
    assert (rt["requested_hardware"], rt["hardware"]) == ("a10g-small", "cpu-basic")
    live.hub.advance(5 * 60 + 40)
    rt = hf.call("get_space_runtime", "fakeuser/gpu-app")
    assert (rt["stage"], rt["hardware"]) == ("RUNNING", "a10g-small")


@SPACE_CLIENTS
def test_sleep_and_wake(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "sleep-and-wake")
    assert runtime(hf, "fakeuser/sleepy")["gcTimeout"] == 3600
    live.hub.advance(3599)
    assert stage(hf, "fakeuser/sleepy") == "RUNNING"
    live.hub.advance(1)
    assert stage(hf, "fakeuser/sleepy") == "SLEEPING"
    live.hub.spaces.visit("fakeuser/sleepy")
    assert stage(hf, "fakeuser/sleepy") == "APP_STARTING"
    live.hub.advance(10)
    assert stage(hf, "fakeuser/sleepy") == "RUNNING"


@SPACE_CLIENTS
def test_config_error_and_its_fix(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "config-error")
    rt = runtime(hf, "fakeuser/misconfigured")
    assert rt["stage"] == "CONFIG_ERROR"
    assert "YAML" in str(rt["errorMessage"])
    hf.exec(
        "api.upload_file(path_or_fileobj=readme.encode(), path_in_repo='README.md',"
        " repo_id='fakeuser/misconfigured', repo_type='space')",
        readme="---\ntitle: Fixed\nsdk: gradio\napp_file: app.py\n---\n",
    )
    assert stage(hf, "fakeuser/misconfigured") == "BUILDING"


@SPACE_CLIENTS
def test_team_orgs_visibility_and_roles(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "team-orgs")
    code = "result = HfApi(token=token).get_space_runtime('acme/internal-tool').stage"
    assert hf.exec(code, token="hf_alice_write") == "RUNNING"
    assert hf.exec(code, token="hf_carol_write") == "RUNNING"  # read-only member reads
    with pytest.raises(ClientError) as outsider:
        hf.exec(code, token="hf_mallory_write")
    assert outsider.value.is_a("RepositoryNotFoundError")
    with pytest.raises(ClientError) as read_only:
        hf.exec("HfApi(token=token).restart_space('acme/internal-tool')", token="hf_carol_write")
    assert read_only.value.status == 403
    rt = hf.exec(
        "result = HfApi(token=token).restart_space('acme/internal-tool').stage",
        token="hf_bob_write",
    )
    assert rt == "BUILDING"


@SPACE_CLIENTS
def test_no_payment_method_gets_402_for_paid_hardware(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "no-payment-method")
    with pytest.raises(ClientError) as refused:
        hf.call("request_space_hardware", "fakeuser/free-app", "t4-small")
    assert refused.value.status == 402
    assert "payment method" in refused.value.message
    assert stage(hf, "fakeuser/free-app") == "RUNNING"  # refused: nothing changed
    rt = hf.call("request_space_hardware", "fakeuser/free-app", "cpu-basic")
    assert rt["requested_hardware"] == "cpu-basic"


def only_job(hf: ClientWorker) -> dict[str, object]:
    jobs = hf.call("list_jobs")
    assert len(jobs) == 1
    job: dict[str, object] = jobs[0]
    return job


@JOB_CLIENTS
def test_job_success_with_logs(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "job-success")
    job = only_job(hf)
    assert job["status"]["stage"] == "RUNNING"  # type: ignore[index]
    live.hub.advance(120)
    done = hf.call("inspect_job", job_id=job["id"])
    assert done["status"]["stage"] == "COMPLETED"
    logs = hf.call("fetch_job_logs", job_id=job["id"])
    assert [line for line in logs if line.startswith("epoch")] == [
        "epoch 1/3 loss=0.912",
        "epoch 2/3 loss=0.534",
        "epoch 3/3 loss=0.301",
    ]


@JOB_CLIENTS
def test_job_out_of_memory(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "job-oom")
    job = only_job(hf)
    live.hub.advance(89)
    assert hf.call("inspect_job", job_id=job["id"])["status"]["stage"] == "RUNNING"
    live.hub.advance(1)
    status = hf.call("inspect_job", job_id=job["id"])["status"]
    assert (status["stage"], status["message"]) == ("ERROR", "CUDA out of memory")
    logs = hf.call("fetch_job_logs", job_id=job["id"])
    assert any("CUDA out of memory" in line for line in logs)


@JOB_CLIENTS
def test_job_timeout(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "job-timeout")
    job = only_job(hf)
    live.hub.advance(4 * 60)
    assert hf.call("inspect_job", job_id=job["id"])["status"]["stage"] == "RUNNING"
    live.hub.advance(60)
    status = hf.call("inspect_job", job_id=job["id"])["status"]
    assert (status["stage"], status["message"]) == ("ERROR", "Job timeout")


@JOB_CLIENTS
def test_nightly_scheduled_job_has_history_and_keeps_firing(
    hf: ClientWorker, live: ServerThread
) -> None:
    play(live, "nightly-scheduled-job")
    runs = hf.call("list_jobs")
    assert len(runs) == 3
    assert {run["initiator"]["type"] for run in runs} == {"scheduled-job"}
    assert [run["created_at"][:10] for run in runs] == ["2026-01-04", "2026-01-03", "2026-01-02"]
    (scheduled,) = hf.call("list_scheduled_jobs")
    assert scheduled["status"]["last_job"]["id"] == runs[0]["id"]
    assert scheduled["status"]["next_job_run_at"].startswith("2026-01-05T00:00:00")
    live.hub.advance(12 * 3600)  # midnight
    assert len(hf.call("list_jobs")) == 4


@JOB_CLIENTS
def test_a_retrying_client_survives_the_rate_limited_hub(
    hf: ClientWorker, live: ServerThread
) -> None:
    play(live, "rate-limited-hub")
    for _ in range(5):
        hf.call("space_info", "fakeuser/demo")
    with pytest.raises(ClientError) as limited:
        hf.call("space_info", "fakeuser/demo")  # no retry in space_info: the 429 surfaces
    assert limited.value.status == 429
    # list_spaces pages go through http_backoff, which honours Retry-After
    spaces = hf.call("list_spaces", author="fakeuser")
    assert [s["id"] for s in spaces] == ["fakeuser/demo"]
    listing = live.hub.request_log.find(path="/api/spaces", method="GET")
    statuses = [entry.status for entry in listing if entry.path == "/api/spaces"]
    assert statuses[0] == 429 and statuses[-1] == 200


@JOB_CLIENTS
def test_a_retrying_client_survives_the_flaky_hub(hf: ClientWorker, live: ServerThread) -> None:
    play(live, "flaky-hub")
    for _ in range(3):
        spaces = hf.call("list_spaces", author="fakeuser")
        assert [s["id"] for s in spaces] == ["fakeuser/demo"]
    listing = [e for e in live.hub.request_log.find(path="/api/spaces") if e.path == "/api/spaces"]
    retried = [e for e in listing if e.status == 503]
    assert retried, "the seeded flakiness should have failed at least one listing"
    assert all(e.fault is not None for e in retried)
    assert sum(1 for e in listing if e.status == 200) == 3
