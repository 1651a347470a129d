"""The Space runtime driven by the real client at every version, and the 2.4.0 ``hf spaces`` CLI."""

from __future__ import annotations

import json

import pytest

from fakehub.domain.accounts import Plan
from fakehub.machines.policy import Policy
from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

ID = "fakeuser/demo"
CPU_BASIC_WARNING = "it will go to sleep if inactive for more than 48 hours"
MODERN = ("1.28.0", "2.4.0")


def deploy(hf: ClientWorker, repo_id: str = ID, **create: object) -> None:
    """``create_repo`` then a first commit of ``app.py``: the Space starts building."""
    hf.call("create_repo", repo_id, repo_type="space", space_sdk="gradio", **create)
    hf.exec(
        "api.upload_file(path_or_fileobj=b'import gradio\\n', path_in_repo='app.py', "
        "repo_id=repo_id, repo_type='space')",
        repo_id=repo_id,
    )


def running(hf: ClientWorker, live: ServerThread, repo_id: str = ID) -> None:
    deploy(hf, repo_id)
    live.hub.advance(40)


def error_of(fn: object, *args: object, **kwargs: object) -> ClientError:
    with pytest.raises(ClientError) as caught:
        fn(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def cpu_basic_warnings(result_warnings: list[dict[str, str]]) -> list[dict[str, str]]:
    return [w for w in result_warnings if CPU_BASIC_WARNING in w["message"]]


# -- the deploy path -----------------------------------------------------------------------------


def test_deploy_builds_then_runs(hf: ClientWorker, live: ServerThread) -> None:
    hf.call("create_repo", ID, repo_type="space", space_sdk="gradio")
    assert hf.call("get_space_runtime", ID)["stage"] == "NO_APP_FILE"
    deploy(hf, "fakeuser/app")
    runtime = hf.call("get_space_runtime", "fakeuser/app")
    assert runtime["stage"] == "BUILDING"
    assert runtime["hardware"] is None
    assert runtime["requested_hardware"] == "cpu-basic"
    assert runtime["sleep_time"] == 172800
    assert runtime["storage"] is None
    live.hub.advance(30)
    assert hf.call("get_space_runtime", "fakeuser/app")["stage"] == "APP_STARTING"
    live.hub.advance(10)
    runtime = hf.call("get_space_runtime", "fakeuser/app")
    assert (runtime["stage"], runtime["hardware"]) == ("RUNNING", "cpu-basic")
    assert hf.call("space_info", "fakeuser/app")["runtime"]["stage"] == "RUNNING"


def test_static_space_runs_without_hardware(hf: ClientWorker) -> None:
    hf.call("create_repo", "fakeuser/site", repo_type="space", space_sdk="static")
    runtime = hf.call("get_space_runtime", "fakeuser/site")
    assert runtime["stage"] == "RUNNING"
    assert (runtime["hardware"], runtime["requested_hardware"]) == (None, None)
    assert runtime["sleep_time"] is None
    error = error_of(hf.call, "pause_space", "fakeuser/site")
    assert error.is_a("BadRequestError")
    assert "static Space" in (error.server_message or "")


def test_unknown_space(hf: ClientWorker) -> None:
    for method in ("get_space_runtime", "pause_space", "restart_space", "get_space_variables"):
        assert error_of(hf.call, method, "fakeuser/nope").is_a("RepositoryNotFoundError"), method


def test_read_token_is_forbidden(hf: ClientWorker, live: ServerThread) -> None:
    deploy(hf)
    error = error_of(
        hf.exec, "result = HfApi(token='hf_fake_read').pause_space(repo_id)", repo_id=ID
    )
    assert error.status == 403
    assert "read-only" in (error.server_message or "")
    assert hf.call("get_space_runtime", ID)["stage"] == "BUILDING"


# -- hardware and sleep --------------------------------------------------------------------------


def test_request_hardware_switches_once_rebuilt(hf: ClientWorker, live: ServerThread) -> None:
    running(hf, live)
    runtime = hf.call("request_space_hardware", ID, "t4-medium")
    assert runtime["stage"] == "RUNNING_BUILDING"
    assert (runtime["hardware"], runtime["requested_hardware"]) == ("cpu-basic", "t4-medium")
    assert runtime["sleep_time"] is None
    live.hub.advance(40)
    runtime = hf.call("get_space_runtime", ID)
    assert (runtime["stage"], runtime["hardware"]) == ("RUNNING", "t4-medium")


def test_request_hardware_bad_flavor_and_billing(hf: ClientWorker, live: ServerThread) -> None:
    deploy(hf)
    error = error_of(hf.call, "request_space_hardware", ID, "gpu-9000")
    assert error.is_a("BadRequestError")
    assert "unknown hardware flavor 'gpu-9000'" in (error.server_message or "")
    live.hub.ctx.accounts.users["fakeuser"].plan = Plan.NO_PAYMENT_METHOD
    error = error_of(hf.call, "request_space_hardware", ID, "a10g-small")
    assert error.status == 402
    assert "payment method" in (error.server_message or "")
    assert hf.call("get_space_runtime", ID)["requested_hardware"] == "cpu-basic"


def test_cpu_basic_sleep_time_warns_and_stays_48h(hf: ClientWorker, live: ServerThread) -> None:
    deploy(hf)
    result = hf.call_full("set_space_sleep_time", ID, 3600)
    assert result.value["sleep_time"] == 172800
    assert [w["category"] for w in cpu_basic_warnings(result.warnings)] == ["UserWarning"]
    result = hf.call_full("request_space_hardware", ID, "cpu-basic", sleep_time=3600)
    assert [w["category"] for w in cpu_basic_warnings(result.warnings)] == ["UserWarning"]
    assert result.value["sleep_time"] == 172800


def test_sleep_time_on_upgraded_hardware(hf: ClientWorker, live: ServerThread) -> None:
    deploy(hf, space_hardware="t4-small")
    result = hf.call_full("set_space_sleep_time", ID, 600)
    assert result.value["sleep_time"] == 600
    assert cpu_basic_warnings(result.warnings) == []
    live.hub.advance(40 + 600)
    assert hf.call("get_space_runtime", ID)["stage"] == "SLEEPING"
    live.hub.spaces.visit(ID)
    live.hub.advance(10)
    assert hf.call("get_space_runtime", ID)["stage"] == "RUNNING"
    assert hf.call("set_space_sleep_time", ID, -1)["sleep_time"] == -1


# -- pause and restart ---------------------------------------------------------------------------


def test_pause_and_restart(hf: ClientWorker, live: ServerThread) -> None:
    running(hf, live)
    runtime = hf.call("pause_space", ID)
    assert (runtime["stage"], runtime["hardware"]) == ("PAUSED", None)
    live.hub.advance(7 * 24 * 3600)
    assert hf.call("get_space_runtime", ID)["stage"] == "PAUSED"
    assert hf.call("restart_space", ID)["stage"] == "BUILDING"
    assert hf.call("restart_space", ID, factory_reboot=True)["stage"] == "BUILDING"
    live.hub.advance(40)
    assert hf.call("get_space_runtime", ID)["stage"] == "RUNNING"


@pytest.mark.parametrize("paused", [True, False])
def test_duplicate_ends_in_the_state_of_its_source(
    hf: ClientWorker, live: ServerThread, paused: bool
) -> None:
    running(hf, live)
    if paused:
        hf.call("pause_space", ID)
    if hf.major >= 1:
        hf.call("duplicate_repo", ID, "fakeuser/copy", repo_type="space")
    else:
        hf.call("duplicate_space", ID, "fakeuser/copy")
    assert hf.call("get_space_runtime", "fakeuser/copy")["stage"] == (
        "PAUSED" if paused else "BUILDING"
    )
    live.hub.advance(40)
    runtime = hf.call("get_space_runtime", "fakeuser/copy")
    assert runtime["stage"] == ("PAUSED" if paused else "RUNNING")


# -- secrets and variables -----------------------------------------------------------------------


def test_secrets(hf: ClientWorker, live: ServerThread) -> None:
    deploy(hf)
    assert hf.call("add_space_secret", ID, "TOKEN", "s3cret", description="api") is None
    assert hf.call("add_space_secret", ID, "OTHER", "x") is None
    assert hf.call("delete_space_secret", ID, "MISSING") is None
    assert hf.call("delete_space_secret", ID, "OTHER") is None
    space = live.hub.space_store.get(ID)
    assert space is not None and set(space.secrets) == {"TOKEN"}
    if hf.major >= 1:
        secrets = hf.call("get_space_secrets", ID)
        assert set(secrets) == {"TOKEN"}
        assert secrets["TOKEN"]["description"] == "api"
        assert secrets["TOKEN"]["updated_at"].startswith("2026-01-01T00:00:00")
        assert "s3cret" not in json.dumps(secrets)


def test_variables(hf: ClientWorker, live: ServerThread) -> None:
    deploy(hf)
    assert hf.call("get_space_variables", ID) == {}
    added = hf.call("add_space_variable", ID, "foo", "123")
    assert added["foo"]["value"] == "123"
    assert added["foo"]["description"] is None
    live.hub.advance(1.5)
    added = hf.call("add_space_variable", ID, "MODEL_PAPER", "arXiv", description="found it")
    assert set(added) == {"foo", "MODEL_PAPER"}
    assert added["MODEL_PAPER"]["description"] == "found it"
    assert added["MODEL_PAPER"]["updated_at"] > added["foo"]["updated_at"]
    assert hf.call("delete_space_variable", ID, "nope") == added
    remaining = hf.call("delete_space_variable", ID, "foo")
    assert set(remaining) == {"MODEL_PAPER"}
    # byte for byte what the production Hub's recordings show: no "key", the Hub's charset
    content_type, text = hf.exec(
        "r = hf.utils.get_session().get(f'{api.endpoint}/api/spaces/{repo}/variables',"
        " headers=api._build_hf_headers())\n"
        "result = [r.headers['content-type'], r.text]",
        repo=ID,
    )
    assert content_type == "application/json; charset=utf-8"
    assert text == (
        '{"MODEL_PAPER":{"value":"arXiv","description":"found it",'
        '"updatedAt":"2026-01-01T00:00:01.500Z"}}'
    )


def test_secret_change_restarts_a_running_space(hf: ClientWorker, live: ServerThread) -> None:
    running(hf, live)
    hf.call("add_space_secret", ID, "TOKEN", "v")
    runtime = hf.call("get_space_runtime", ID)
    assert (runtime["stage"], runtime["hardware"]) == ("RUNNING_BUILDING", "cpu-basic")


# -- storage, volumes, dev mode ------------------------------------------------------------------


@pytest.mark.clients("0.20.3", "0.36.2", "1.28.0")
def test_legacy_storage(hf: ClientWorker) -> None:
    deploy(hf)
    assert hf.call("request_space_storage", ID, "medium")["storage"] == "medium"
    error = error_of(hf.call, "request_space_storage", ID, "small")
    assert error.is_a("BadRequestError")
    assert "downgrade" in (error.server_message or "")
    assert hf.call("delete_space_storage", ID)["storage"] is None
    assert error_of(hf.call, "delete_space_storage", ID).is_a("BadRequestError")


@pytest.mark.clients(*MODERN)
def test_volumes(hf: ClientWorker) -> None:
    deploy(hf)
    hf.exec(
        "from huggingface_hub import Volume\n"
        "api.set_space_volumes(repo_id, volumes=["
        "Volume(type='bucket', source='fakeuser/b', mount_path='/data'),"
        "Volume(type='model', source='fakeuser/m', mount_path='/m', read_only=True)])",
        repo_id=ID,
    )
    volumes = hf.call("get_space_runtime", ID)["volumes"]
    assert [(v["type"], v["source"], v["mount_path"]) for v in volumes] == [
        ("bucket", "fakeuser/b", "/data"),
        ("model", "fakeuser/m", "/m"),
    ]
    hf.call("delete_space_volumes", ID)
    assert hf.call("get_space_runtime", ID)["volumes"] is None
    assert error_of(hf.call, "delete_space_volumes", ID).is_a("BadRequestError")


@pytest.mark.clients(*MODERN)
def test_dev_mode(hf: ClientWorker, live: ServerThread) -> None:
    running(hf, live)
    error = error_of(hf.call, "enable_space_dev_mode", ID)
    assert error.status == 402
    assert "PRO" in (error.server_message or "")
    live.hub.ctx.accounts.users["fakeuser"].plan = Plan.PRO
    assert hf.call("enable_space_dev_mode", ID)["dev_mode"] is True
    assert hf.call("disable_space_dev_mode", ID)["dev_mode"] is False


# -- logs, waiting, catalogue --------------------------------------------------------------------


@pytest.mark.clients(*MODERN)
def test_fetch_logs(hf: ClientWorker, live: ServerThread) -> None:
    running(hf, live)
    run = hf.exec("result = list(api.fetch_space_logs(repo_id))", repo_id=ID)
    assert run[0].startswith("===== Application Startup at 2026-01-01 00:00:30")
    assert run[-1] == "* Running on local URL:  http://0.0.0.0:7860\n"
    build = hf.exec("result = list(api.fetch_space_logs(repo_id, build=True))", repo_id=ID)
    assert build[0].startswith("===== Build Queued at 2026-01-01 00:00:00")
    follow = hf.exec("result = list(api.fetch_space_logs(repo_id, follow=True))", repo_id=ID)
    assert follow == run


@pytest.mark.clients(*MODERN)
def test_build_error_logs(hf: ClientWorker, live: ServerThread) -> None:
    hf.call("create_repo", ID, repo_type="space", space_sdk="gradio")
    live.hub.spaces.script(ID, build="error", build_logs=["ERROR: no module named torch"])
    deploy(hf, "fakeuser/other")
    hf.exec(
        "api.upload_file(path_or_fileobj=b'x', path_in_repo='app.py', repo_id=repo_id, "
        "repo_type='space')",
        repo_id=ID,
    )
    live.hub.advance(30)
    runtime = hf.call("get_space_runtime", ID)
    assert runtime["stage"] == "BUILD_ERROR"
    assert runtime["raw"]["errorMessage"] == "Build failed with exit code: 1"
    build = hf.exec("result = list(api.fetch_space_logs(repo_id, build=True))", repo_id=ID)
    assert build[-1] == "ERROR: no module named torch\n"


@pytest.mark.clients(*MODERN)
def test_wait_for_space_under_per_poll(hf: ClientWorker, live: ServerThread) -> None:
    live.hub.set_policy("space", Policy.parse("per-poll(2)"))
    deploy(hf)
    runtime = hf.call("wait_for_space", ID, timeout=30, poll_interval=0.05)
    assert (runtime["stage"], runtime["hardware"]) == ("RUNNING", "cpu-basic")


@pytest.mark.clients(*MODERN)
def test_wait_for_space_returns_errors_too(hf: ClientWorker, live: ServerThread) -> None:
    live.hub.set_policy("space", Policy.parse("instant"))
    hf.call("create_repo", ID, repo_type="space", space_sdk="gradio")
    live.hub.spaces.script(ID, crash_after=0, error_message="ImportError: gradio")
    hf.exec(
        "api.upload_file(path_or_fileobj=b'x', path_in_repo='app.py', repo_id=repo_id, "
        "repo_type='space')",
        repo_id=ID,
    )
    runtime = hf.call("wait_for_space", ID, timeout=5, poll_interval=0.05)
    assert runtime["stage"] == "RUNTIME_ERROR"
    assert runtime["raw"]["errorMessage"] == "ImportError: gradio"


@pytest.mark.clients(*MODERN)
def test_hardware_catalogue(hf: ClientWorker) -> None:
    hardware = hf.call("list_spaces_hardware")
    by_name = {item["name"]: item for item in hardware}
    assert by_name["cpu-basic"]["unit_cost_usd"] == 0
    assert by_name["t4-small"]["accelerator"]["model"] == "T4"
    assert by_name["t4-small"]["unit_label"] == "minute"


@pytest.mark.clients("2.4.0")
def test_zero_gpu_quota(hf: ClientWorker) -> None:
    quota = hf.call("get_zero_gpu_quota")
    assert (quota["base"], quota["remaining"], quota["resets_at"]) == (300, 300, None)


@pytest.mark.clients(*MODERN)
def test_search_spaces(hf: ClientWorker, live: ServerThread) -> None:
    running(hf, live)
    found = hf.exec("result = list(api.search_spaces('DEMO'))")
    assert [item["id"] for item in found] == [ID]
    assert found[0]["runtime"]["stage"] == "RUNNING"
    assert hf.exec("result = list(api.search_spaces('DEMO', sdk='docker'))") == []


# -- the 2.4.0 CLI -------------------------------------------------------------------------------


def cli_ok(hf: ClientWorker, *args: str) -> str:
    done = hf.cli(*args)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout + done.stderr


@pytest.mark.clients("2.4.0")
def test_cli_lifecycle(hf: ClientWorker, live: ServerThread) -> None:
    live.hub.set_policy("space", Policy.parse("per-poll(1)"))
    deploy(hf)
    assert "RUNNING" in cli_ok(hf, "spaces", "wait", ID, "--timeout", "30s")
    assert "PAUSED" in cli_ok(hf, "spaces", "pause", ID)
    assert "BUILDING" in cli_ok(hf, "spaces", "restart", ID, "--factory-reboot")
    out = cli_ok(hf, "spaces", "settings", ID, "--hardware", "t4-small", "--sleep-time", "3600")
    assert "t4-small" in out
    space = live.hub.space_store.get(ID)
    assert space is not None
    assert (space.requested_hardware, space.sleep_time) == ("t4-small", 3600)
    cli_ok(hf, "spaces", "settings", ID, "--sleep-time", "600")
    assert space.sleep_time == 600


@pytest.mark.clients("2.4.0")
def test_cli_secrets_and_variables(hf: ClientWorker, live: ServerThread) -> None:
    deploy(hf)
    cli_ok(hf, "spaces", "secrets", "add", ID, "-s", "TOKEN=s3cret")
    assert "TOKEN" in cli_ok(hf, "spaces", "secrets", "ls", ID)
    cli_ok(hf, "spaces", "secrets", "delete", ID, "TOKEN", "--yes")
    cli_ok(hf, "spaces", "variables", "add", ID, "-e", "MODE=fast")
    assert "fast" in cli_ok(hf, "spaces", "variables", "ls", ID)
    cli_ok(hf, "spaces", "variables", "delete", ID, "MODE", "--yes")
    space = live.hub.space_store.get(ID)
    assert space is not None and space.secrets == {} and space.variables == {}


@pytest.mark.clients("2.4.0")
def test_cli_hardware_and_logs(hf: ClientWorker, live: ServerThread) -> None:
    assert "t4-small" in cli_ok(hf, "spaces", "hardware")
    running(hf, live)
    assert "Running on local URL" in cli_ok(hf, "spaces", "logs", ID)
    assert "Build Queued" in cli_ok(hf, "spaces", "logs", ID, "--build")
