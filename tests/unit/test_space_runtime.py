"""SpaceService without HTTP: hooks, stages over virtual time, settings, scripts, logs."""

from __future__ import annotations

import pytest

from fakehub import FakeHub, HubConfig
from fakehub.config import DEFAULT_ORG, OrgSpec, TokenSpec, UserSpec, default_users
from fakehub.domain.accounts import Actor, Plan
from fakehub.domain.errors import (
    BadRequest,
    Forbidden,
    PaymentRequired,
    RepoNotFound,
    Unauthorized,
)
from fakehub.domain.spaces.records import SpaceStage
from fakehub.domain.volumes import Volume
from fakehub.machines.policy import Policy
from fakehub.wire.runtime import runtime_json
from tests.space_factory import GRADIO_FILES, add_space, commit_files

S = SpaceStage
ID = "fakeuser/demo"


@pytest.fixture
def me(hub: FakeHub) -> Actor:
    actor = hub.ctx.accounts.authenticate("Bearer hf_fake_write")
    assert actor is not None
    return actor


@pytest.fixture
def reader(hub: FakeHub) -> Actor:
    actor = hub.ctx.accounts.authenticate("Bearer hf_fake_read")
    assert actor is not None
    return actor


# -- hooks and the automatic path ----------------------------------------------------------------


def test_new_space_builds_starts_and_runs_on_requested_hardware(hub: FakeHub) -> None:
    space = add_space(hub)
    assert (space.stage, space.current_hardware, space.requested_hardware) == (
        S.BUILDING,
        None,
        "cpu-basic",
    )
    hub.advance(29.999)
    assert space.stage is S.BUILDING
    hub.advance(0.001)
    assert space.stage is S.APP_STARTING
    assert space.current_hardware is None
    hub.advance(10)
    assert space.stage is S.RUNNING
    assert space.current_hardware == "cpu-basic"


def test_static_space_is_running_without_hardware(hub: FakeHub) -> None:
    space = add_space(hub, sdk="static", hardware="t4-small")
    body = runtime_json(space)
    assert body == {
        "stage": "RUNNING",
        "hardware": {"current": None, "requested": None},
        "storage": None,
        "replicas": {"requested": 1, "current": 1},
    }


def test_space_without_app_file_waits_for_one(hub: FakeHub) -> None:
    space = add_space(hub, files={"README.md": b"---\nsdk: gradio\n---\n"})
    assert space.stage is S.NO_APP_FILE
    hub.advance(3600)
    assert space.stage is S.NO_APP_FILE
    commit_files(hub, space, {"app.py": b"print()"})
    assert space.stage is S.BUILDING


def test_readme_app_file_decides_what_is_buildable(hub: FakeHub) -> None:
    readme = b"---\nsdk: streamlit\napp_file: main.py\n---\n"
    space = add_space(hub, sdk="streamlit", files={"README.md": readme, "app.py": b""})
    assert space.stage is S.NO_APP_FILE
    commit_files(hub, space, {"main.py": b""})
    assert space.stage is S.BUILDING


def test_docker_needs_a_dockerfile(hub: FakeHub) -> None:
    space = add_space(hub, sdk="docker", files={"app.py": b""})
    assert space.stage is S.NO_APP_FILE
    commit_files(hub, space, {"Dockerfile": b"FROM python"})
    assert space.stage is S.BUILDING


def test_invalid_front_matter_is_a_config_error(hub: FakeHub) -> None:
    space = add_space(hub)
    hub.advance(40)
    commit_files(hub, space, {"README.md": b"---\nsdk: [oops\n---\n"})
    assert space.stage is S.CONFIG_ERROR
    assert space.current_hardware is None
    assert "Invalid YAML" in runtime_json(space)["errorMessage"]
    commit_files(hub, space, {"README.md": b"---\nsdk: gradio\n---\n"})
    assert space.stage is S.BUILDING
    assert "errorMessage" not in runtime_json(space)


def test_commit_while_running_keeps_the_old_app_serving(hub: FakeHub) -> None:
    space = add_space(hub)
    hub.advance(40)
    commit_files(hub, space, {"app.py": b"v2"})
    assert space.stage is S.RUNNING_BUILDING
    assert space.current_hardware == "cpu-basic"
    hub.advance(30)
    assert space.stage is S.RUNNING_APP_STARTING
    hub.advance(10)
    assert space.stage is S.RUNNING


def test_commit_on_paused_space_keeps_it_paused(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    hub.spaces.pause(me, ID)
    commit_files(hub, space, {"app.py": b"v2"})
    assert space.stage is S.PAUSED


def test_deleted_space_has_nothing_pending(hub: FakeHub) -> None:
    space = add_space(hub)
    with hub.ctx.transaction():
        hub.space_store.remove(ID)
        hub.spaces.on_deleted(space)
    assert hub.ctx.scheduler.pending() == []
    hub.advance(60)
    assert space.stage is S.BUILDING


@pytest.mark.parametrize(("stage", "expected"), [("running", S.BUILDING), ("paused", S.PAUSED)])
def test_duplicate_ends_like_its_source(
    hub: FakeHub, me: Actor, stage: str, expected: SpaceStage
) -> None:
    source = add_space(hub)
    hub.advance(40)
    if stage == "paused":
        hub.spaces.pause(me, ID)
    copy = add_space(hub, "fakeuser/copy", files=dict(GRADIO_FILES))
    hub.spaces.on_duplicated(source, copy, hub.now())
    assert copy.stage is expected
    hub.advance(40)
    assert copy.stage is (S.RUNNING if stage == "running" else S.PAUSED)


# -- policies ------------------------------------------------------------------------------------


def test_per_poll_policy_steps_on_reads(hub: FakeHub, me: Actor) -> None:
    hub.set_policy("space", Policy.parse("per-poll(2)"))
    add_space(hub)
    stages = [hub.spaces.runtime(me, ID).stage for _ in range(6)]
    assert stages == [S.BUILDING, S.BUILDING, S.APP_STARTING, S.APP_STARTING, S.RUNNING, S.RUNNING]
    hub.advance(3600)
    assert hub.spaces.runtime(me, ID).stage is S.RUNNING


def test_instant_policy_lands_on_running(hub: FakeHub) -> None:
    hub.set_policy("space", Policy.parse("instant"))
    space = add_space(hub)
    assert space.stage is S.RUNNING
    assert space.current_hardware == "cpu-basic"


def test_custom_durations(hub: FakeHub) -> None:
    hub.set_policy("space", Policy.parse("timed", {"build": "2m", "start": 5}))
    space = add_space(hub)
    hub.advance(119)
    assert space.stage is S.BUILDING
    hub.advance(6)
    assert space.stage is S.RUNNING


# -- hardware and sleep --------------------------------------------------------------------------


def test_hardware_request_switches_after_the_rebuild(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    hub.advance(40)
    snap = hub.spaces.request_hardware(me, ID, "t4-medium")
    assert (snap.stage, snap.current_hardware, snap.requested_hardware) == (
        S.RUNNING_BUILDING,
        "cpu-basic",
        "t4-medium",
    )
    assert runtime_json(snap)["gcTimeout"] is None  # upgraded: never sleeps by default
    hub.advance(40)
    assert (space.stage, space.current_hardware) == (S.RUNNING, "t4-medium")


def test_hardware_request_validates_before_changing(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    with pytest.raises(BadRequest, match="flavor: unknown hardware flavor 'gpu-9000'"):
        hub.spaces.request_hardware(me, ID, "gpu-9000")
    with pytest.raises(BadRequest, match="sleepTimeSeconds"):
        hub.spaces.request_hardware(me, ID, "t4-small", 0)
    assert (space.requested_hardware, space.stage, space.sleep_time) == (
        "cpu-basic",
        S.BUILDING,
        None,
    )


def test_paid_hardware_needs_a_payment_method() -> None:
    users = (UserSpec("broke", (TokenSpec("hf_broke"),), plan=Plan.NO_PAYMENT_METHOD),)
    hub = FakeHub(HubConfig(users=(*default_users(), *users)))
    space = add_space(hub, "broke/demo")
    actor = hub.ctx.accounts.authenticate("Bearer hf_broke")
    with pytest.raises(PaymentRequired, match="payment method"):
        hub.spaces.request_hardware(actor, "broke/demo", "t4-small")
    assert space.requested_hardware == "cpu-basic"
    hub.spaces.request_hardware(actor, "broke/demo", "cpu-basic")  # free is fine


def test_cpu_basic_sleeps_after_48h_idle_and_a_visit_wakes_it(hub: FakeHub) -> None:
    space = add_space(hub)
    hub.advance(40)
    hub.advance(48 * 3600 - 1)
    assert space.stage is S.RUNNING
    assert hub.spaces.visit(ID) == "RUNNING"  # resets the idle timer
    hub.advance(48 * 3600 - 1)
    assert space.stage is S.RUNNING
    hub.advance(1)
    assert (space.stage, space.current_hardware) == (S.SLEEPING, None)
    assert hub.spaces.visit(ID) == "APP_STARTING"
    hub.advance(10)
    assert space.stage is S.RUNNING


def test_reads_do_not_keep_a_space_awake(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    hub.advance(40)
    for _ in range(3):
        hub.advance(16 * 3600)
        hub.spaces.runtime(me, ID)
    assert space.stage is S.SLEEPING


def test_sleep_time_on_upgraded_hardware(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub, hardware="t4-small")
    hub.advance(40)
    hub.advance(10 * 24 * 3600)
    assert space.stage is S.RUNNING  # null gcTimeout on upgraded hardware: never
    snap = hub.spaces.set_sleep_time(me, ID, 600)
    assert runtime_json(snap)["gcTimeout"] == 600
    assert space.stage is S.SLEEPING  # idle for days already: asleep at once
    hub.spaces.visit(ID)
    hub.advance(10 + 599)
    assert space.stage is S.RUNNING
    hub.advance(1)
    assert space.stage is S.SLEEPING
    hub.spaces.visit(ID)
    snap = hub.spaces.set_sleep_time(me, ID, -1)
    assert runtime_json(snap)["gcTimeout"] == -1
    hub.advance(10 * 24 * 3600)
    assert space.stage is S.RUNNING


def test_sleep_time_on_cpu_basic_is_accepted_and_ignored(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    snap = hub.spaces.set_sleep_time(me, ID, 600)
    assert runtime_json(snap)["gcTimeout"] == 172800
    assert space.sleep_time is None


def test_sleep_time_on_zero_gpu_is_refused() -> None:
    users = (UserSpec("pro", (TokenSpec("hf_pro"),), plan=Plan.PRO),)
    hub = FakeHub(HubConfig(users=(*default_users(), *users)))
    add_space(hub, "pro/zero", hardware="zero-a10g")
    actor = hub.ctx.accounts.authenticate("Bearer hf_pro")
    with pytest.raises(BadRequest, match="zero-a10g"):
        hub.spaces.set_sleep_time(actor, "pro/zero", 600)


def test_sleep_time_validation(hub: FakeHub, me: Actor) -> None:
    add_space(hub, hardware="t4-small")
    with pytest.raises(BadRequest, match="seconds: sleep time must be"):
        hub.spaces.set_sleep_time(me, ID, -5)


# -- pause and restart ---------------------------------------------------------------------------


def test_pause_holds_until_restart(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    hub.advance(40)
    snap = hub.spaces.pause(me, ID)
    assert (snap.stage, snap.current_hardware) == (S.PAUSED, None)
    hub.advance(30 * 24 * 3600)
    assert hub.spaces.visit(ID) == "PAUSED"
    hub.spaces.add_secret(me, ID, "TOKEN", "x", None)
    hub.spaces.request_hardware(me, ID, "t4-small")
    assert space.stage is S.PAUSED
    assert hub.spaces.restart(me, ID).stage is S.BUILDING
    hub.advance(40)
    assert (space.stage, space.current_hardware) == (S.RUNNING, "t4-small")


def test_restart_from_running_rebuilds_from_scratch(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    hub.advance(40)
    snap = hub.spaces.restart(me, ID, factory=True)
    assert (snap.stage, snap.current_hardware) == (S.BUILDING, None)
    lines = [line.text for line in space.build_logs[space.build_log_start :]]
    assert any("Factory reboot" in line for line in lines)


def test_static_space_refuses_runtime_controls(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub, sdk="static")
    for call in (
        lambda: hub.spaces.pause(me, ID),
        lambda: hub.spaces.restart(me, ID),
        lambda: hub.spaces.set_dev_mode(me, ID, False),
        lambda: hub.spaces.set_volumes(me, ID, [Volume("bucket", "fakeuser/b", "/data")]),
        lambda: hub.spaces.delete_volumes(me, ID),
        lambda: hub.spaces.request_hardware(me, ID, "cpu-basic"),
    ):
        with pytest.raises(BadRequest, match="static Space"):
            call()
    assert space.stage is S.RUNNING


# -- permissions ---------------------------------------------------------------------------------


def test_permissions(hub: FakeHub, me: Actor, reader: Actor) -> None:
    add_space(hub, visibility="private")
    with pytest.raises(RepoNotFound):
        hub.spaces.runtime(None, ID)
    with pytest.raises(RepoNotFound):
        hub.spaces.pause(None, ID)
    with pytest.raises(Forbidden, match="read-only"):
        hub.spaces.pause(reader, ID)
    assert hub.spaces.runtime(reader, ID).stage is S.BUILDING
    add_space(hub, "fakeuser/public")
    with pytest.raises(Unauthorized):
        hub.spaces.restart(None, "fakeuser/public")
    with pytest.raises(Unauthorized):
        hub.spaces.secrets(None, "fakeuser/public")
    assert hub.spaces.secrets(reader, "fakeuser/public") == {}


def test_org_member_rights() -> None:
    users = (UserSpec("guest", (TokenSpec("hf_guest"),)),)
    orgs = (OrgSpec(DEFAULT_ORG, (("fakeuser", "admin"), ("guest", "read"))),)
    hub = FakeHub(HubConfig(users=(*default_users(), *users), orgs=orgs))
    add_space(hub, "fakeorg/app")
    guest = hub.ctx.accounts.authenticate("Bearer hf_guest")
    with pytest.raises(Forbidden):
        hub.spaces.pause(guest, "fakeorg/app")
    assert hub.spaces.variables(guest, "fakeorg/app") == {}


# -- secrets, variables, storage, volumes, dev mode ---------------------------------------------


def test_secret_changes_restart_a_running_space(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    hub.advance(40)
    hub.spaces.add_secret(me, ID, "TOKEN", "s3cret", "the token")
    assert space.stage is S.RUNNING_BUILDING
    hub.advance(40)
    hub.spaces.delete_secret(me, ID, "MISSING")
    assert space.stage is S.RUNNING  # nothing deleted, nothing restarted
    hub.spaces.add_secret(me, ID, "TOKEN", "other", None)
    assert space.secrets["TOKEN"].description == "the token"
    assert space.secrets["TOKEN"].value == "other"


def test_variables_keep_description_and_track_updates(hub: FakeHub, me: Actor) -> None:
    add_space(hub)
    first = hub.spaces.add_variable(me, ID, "foo", "123", None)
    assert first["foo"].description is None
    hub.advance(5)
    second = hub.spaces.add_variable(me, ID, "foo", "456", "d")
    assert second["foo"].updated_at_ns > first["foo"].updated_at_ns
    third = hub.spaces.add_variable(me, ID, "foo", "789", None)
    assert third["foo"].description == "d"
    assert hub.spaces.delete_variable(me, ID, "nope") == third
    assert hub.spaces.delete_variable(me, ID, "foo") == {}


def test_invalid_key_leaves_state_unchanged(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    with pytest.raises(BadRequest, match="key: invalid key '1BAD'"):
        hub.spaces.add_variable(me, ID, "1BAD", "x", None)
    assert space.variables == {}
    assert space.stage is S.BUILDING


def test_storage_upgrades_only(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    with pytest.raises(BadRequest, match="no persistent storage"):
        hub.spaces.delete_storage(me, ID)
    with pytest.raises(BadRequest, match="unknown storage tier 'huge'"):
        hub.spaces.request_storage(me, ID, "huge")
    assert hub.spaces.request_storage(me, ID, "medium").storage == "medium"
    with pytest.raises(BadRequest, match="cannot downgrade"):
        hub.spaces.request_storage(me, ID, "small")
    assert hub.spaces.request_storage(me, ID, "large").storage == "large"
    assert hub.spaces.delete_storage(me, ID).storage is None
    assert hub.spaces.request_storage(me, ID, "small").storage == "small"
    assert space.storage == "small"


def test_volumes(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    with pytest.raises(BadRequest, match="no volumes"):
        hub.spaces.delete_volumes(me, ID)
    with pytest.raises(BadRequest, match="at least one"):
        hub.spaces.set_volumes(me, ID, [])
    with pytest.raises(BadRequest, match="read-only"):
        hub.spaces.set_volumes(me, ID, [Volume("model", "fakeuser/m", "/m", read_only=False)])
    vols = [Volume("bucket", "fakeuser/b", "/data"), Volume("model", "fakeuser/m", "/m")]
    snap = hub.spaces.set_volumes(me, ID, vols)
    assert runtime_json(snap)["volumes"] == [
        {"type": "bucket", "source": "fakeuser/b", "mountPath": "/data"},
        {"type": "model", "source": "fakeuser/m", "mountPath": "/m"},
    ]
    assert "volumes" not in runtime_json(hub.spaces.delete_volumes(me, ID))
    assert space.volumes == []


def test_dev_mode_needs_pro(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    with pytest.raises(PaymentRequired, match="PRO"):
        hub.spaces.set_dev_mode(me, ID, True)
    assert hub.spaces.set_dev_mode(me, ID, False).dev_mode is False
    hub.ctx.accounts.users["fakeuser"].plan = Plan.PRO
    hub.advance(40)
    snap = hub.spaces.set_dev_mode(me, ID, True)
    assert (snap.dev_mode, snap.stage) == (True, S.RUNNING_BUILDING)
    assert space.dev_mode is True


# -- scripts and logs ----------------------------------------------------------------------------


def test_scripted_build_error(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    hub.spaces.script(ID, build="error", build_logs=["boom"], error_message="pip failed")
    hub.advance(30)
    assert space.stage is S.BUILD_ERROR
    assert runtime_json(space)["errorMessage"] == "pip failed"
    read = hub.spaces.read_logs(space, "build", None)
    assert read.finished
    assert [line.text for line in read.lines][-1] == "boom\n"
    hub.spaces.script(ID)  # fixed: the next restart succeeds
    hub.spaces.restart(me, ID)
    hub.advance(40)
    assert space.stage is S.RUNNING
    assert "errorMessage" not in runtime_json(space)


def test_scripted_crash_after_start(hub: FakeHub) -> None:
    space = add_space(hub)
    hub.spaces.script(ID, crash_after=60, run_logs=["hello"], error_message="OOM")
    hub.advance(40)
    assert space.stage is S.RUNNING
    hub.advance(60)
    assert (space.stage, space.current_hardware) == (S.RUNTIME_ERROR, None)
    texts = [line.text for line in hub.spaces.read_logs(space, "run", None).lines]
    assert texts[-2:] == ["hello\n", "OOM\n"]


def test_scripted_crash_at_start(hub: FakeHub) -> None:
    space = add_space(hub)
    hub.spaces.script(ID, crash_after=0)
    hub.advance(40)
    assert space.stage is S.RUNTIME_ERROR
    assert runtime_json(space)["errorMessage"].startswith("Exit code: 1")


def test_script_validation(hub: FakeHub) -> None:
    add_space(hub)
    with pytest.raises(BadRequest, match="build"):
        hub.spaces.script(ID, build="maybe")  # type: ignore[arg-type]
    with pytest.raises(BadRequest, match="crash_after"):
        hub.spaces.script(ID, crash_after=-1)
    with pytest.raises(RepoNotFound):
        hub.spaces.script("fakeuser/none")
    with pytest.raises(RepoNotFound):
        hub.spaces.visit("fakeuser/none")


def test_logs_follow_the_current_build_and_app(hub: FakeHub, me: Actor) -> None:
    space = add_space(hub)
    first = hub.spaces.read_logs(space, "build", None)
    assert not first.finished
    assert first.lines[0].text.startswith("===== Build Queued at 2026-01-01 00:00:00")
    assert hub.spaces.read_logs(space, "run", None).lines == []
    hub.advance(30)
    more = hub.spaces.read_logs(space, "build", first.cursor)
    assert more.lines and all(line.at_ns == hub.now() for line in more.lines)
    hub.advance(10)
    run = hub.spaces.read_logs(space, "run", None)
    assert run.finished
    assert run.lines[-1].text == "* Running on local URL:  http://0.0.0.0:7860\n"
    assert len(hub.spaces.read_logs(space, "run", None, tail=1).lines) == 1
    hub.spaces.restart(me, ID)
    assert len(hub.spaces.read_logs(space, "build", None).lines) == 2  # only the new build


@pytest.mark.parametrize(
    ("stage", "current"),
    [(S.RUNNING, "cpu-basic"), (S.SLEEPING, None), (S.PAUSED, None), (S.BUILD_ERROR, None)],
)
def test_place_puts_a_space_in_a_consistent_stage(
    hub: FakeHub, stage: SpaceStage, current: str | None
) -> None:
    space = add_space(hub)
    hub.spaces.place(ID, stage)
    assert (space.stage, space.current_hardware) == (stage, current)
    assert ("errorMessage" in runtime_json(space)) == (stage is S.BUILD_ERROR)
    hub.advance(48 * 3600)
    assert space.stage is (S.SLEEPING if stage is S.RUNNING else stage)


def test_place_refuses_a_stopped_static_space(hub: FakeHub) -> None:
    add_space(hub, sdk="static")
    with pytest.raises(BadRequest, match="static Space is always RUNNING"):
        hub.spaces.place(ID, S.PAUSED)
