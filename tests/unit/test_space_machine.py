"""The Space stage machine as pure rules: no hub, no clock, no HTTP."""

from __future__ import annotations

import pytest

from fakehub.domain.spaces import machine
from fakehub.domain.spaces.machine import Outcome
from fakehub.domain.spaces.records import SpaceStage

S = SpaceStage
OK = Outcome()


def test_first_build_path_walks_to_running() -> None:
    stage = S.BUILDING
    path = [stage]
    while machine.next_step(stage) is not None:
        stage = machine.after_step(stage, OK)
        path.append(stage)
    assert path == [S.BUILDING, S.APP_STARTING, S.RUNNING]


def test_rebuild_while_serving_keeps_running_prefix() -> None:
    stage = machine.rebuild_stage(S.RUNNING)
    assert stage is S.RUNNING_BUILDING
    stage = machine.after_step(stage, OK)
    assert stage is S.RUNNING_APP_STARTING
    assert machine.after_step(stage, OK) is S.RUNNING


@pytest.mark.parametrize(
    ("stage", "outcome", "expected"),
    [
        (S.BUILDING, Outcome(build_ok=False), S.BUILD_ERROR),
        (S.RUNNING_BUILDING, Outcome(build_ok=False), S.BUILD_ERROR),
        (S.APP_STARTING, Outcome(crash_at_start=True), S.RUNTIME_ERROR),
        (S.RUNNING_APP_STARTING, Outcome(crash_at_start=True), S.RUNTIME_ERROR),
        # a crash scripted at start does not fail the build
        (S.BUILDING, Outcome(crash_at_start=True), S.APP_STARTING),
    ],
)
def test_scripted_failures(stage: SpaceStage, outcome: Outcome, expected: SpaceStage) -> None:
    assert machine.after_step(stage, outcome) is expected


@pytest.mark.parametrize("stage", sorted(set(S) - machine.INTERMEDIATE, key=lambda s: s.value))
def test_resting_stages_have_no_step(stage: SpaceStage) -> None:
    assert machine.next_step(stage) is None
    with pytest.raises(ValueError, match="no automatic step"):
        machine.after_step(stage, OK)


def test_steps_use_build_and_start_durations() -> None:
    assert machine.next_step(S.BUILDING) == machine.next_step(S.RUNNING_BUILDING) == machine.BUILD
    assert machine.BUILD.duration_key == "build"
    assert machine.next_step(S.APP_STARTING) == machine.START
    assert machine.START.duration_key == "start"


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (S.RUNNING, S.RUNNING_BUILDING),
        (S.RUNNING_APP_STARTING, S.RUNNING_BUILDING),
        (S.BUILDING, S.BUILDING),
        (S.BUILD_ERROR, S.BUILDING),
        (S.RUNTIME_ERROR, S.BUILDING),
        (S.PAUSED, S.PAUSED),
        (S.SLEEPING, S.SLEEPING),
        (S.NO_APP_FILE, S.NO_APP_FILE),
        (S.CONFIG_ERROR, S.CONFIG_ERROR),
    ],
)
def test_configuration_change(stage: SpaceStage, expected: SpaceStage) -> None:
    assert machine.after_change(stage) is expected


def test_current_hardware_is_the_serving_apps() -> None:
    assert machine.current_hardware(S.BUILDING, None, "t4-small") is None
    assert machine.current_hardware(S.RUNNING, None, "t4-small") == "t4-small"
    # the old app keeps its flavor while the new one builds and starts
    assert machine.current_hardware(S.RUNNING_BUILDING, "cpu-basic", "t4-small") == "cpu-basic"
    assert machine.current_hardware(S.RUNNING_APP_STARTING, "cpu-basic", "t4-small") == "cpu-basic"
    for stage in (S.PAUSED, S.SLEEPING, S.BUILD_ERROR, S.RUNTIME_ERROR):
        assert machine.current_hardware(stage, "t4-small", "t4-small") is None


def test_gc_timeout_rules() -> None:
    # cpu-basic: fixed 48 h whatever was configured; default flavor when none requested
    assert machine.gc_timeout("gradio", "cpu-basic", 3600) == 172800
    assert machine.gc_timeout("gradio", None, None) == 172800
    # upgraded: the configured value, null when never set, -1 kept as "never"
    assert machine.gc_timeout("gradio", "t4-small", 3600) == 3600
    assert machine.gc_timeout("gradio", "t4-small", None) is None
    assert machine.gc_timeout("gradio", "t4-small", -1) == -1
    assert machine.gc_timeout("static", None, 3600) is None
    assert machine.sleeps_after("gradio", "t4-small", -1) is None
    assert machine.sleeps_after("gradio", "t4-small", None) is None
    assert machine.sleeps_after("docker", "cpu-basic", None) == 48 * 3600
