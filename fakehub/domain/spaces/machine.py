"""The Space stage machine: pure rules from a stage (and a scripted outcome) to the next stage.

No clock, no scheduler, no Starlette: the service applies these rules inside hub operations and
the progression engine decides *when* an automatic step happens.

Automatic path (each arrow is one progression step; ``build`` and ``start`` are duration keys)::

    BUILDING --build--> APP_STARTING --start--> RUNNING
        \\--build fails--> BUILD_ERROR    \\--crash at start--> RUNTIME_ERROR

    RUNNING_BUILDING --build--> RUNNING_APP_STARTING --start--> RUNNING
        (the old app keeps serving on its old hardware meanwhile)

Outside progression: pause (-> PAUSED), restart (-> BUILDING), a change of hardware, secrets,
variables, storage, volumes or dev mode (-> a rebuild), idle past ``gcTimeout`` (-> SLEEPING),
a visit (SLEEPING -> APP_STARTING), a scripted crash (RUNNING -> RUNTIME_ERROR).
"""

from __future__ import annotations

from dataclasses import dataclass

from fakehub.domain.spaces.records import SpaceStage
from fakehub.machines.progression import Step

S = SpaceStage

#: Stages ``wait_for_space`` keeps polling through (the client's INTERMEDIATE_SPACE_STAGES).
INTERMEDIATE = frozenset({S.BUILDING, S.APP_STARTING, S.RUNNING_BUILDING, S.RUNNING_APP_STARTING})
#: Stages during which build logs are still being written.
BUILDING_STAGES = frozenset({S.BUILDING, S.RUNNING_BUILDING})
#: Stages in which an app is up and answering visitors, on ``hardware.current``.
SERVING = frozenset({S.RUNNING, S.RUNNING_BUILDING, S.RUNNING_APP_STARTING})
#: Stages a configuration change (hardware, secrets, ...) restarts. The others keep their stage:
#: a paused Space stays paused, a sleeping one picks the change up when it wakes, a Space
#: without a usable app file has nothing to run.
RESTARTED_BY_CHANGES = INTERMEDIATE | {S.RUNNING, S.BUILD_ERROR, S.RUNTIME_ERROR}

#: Hardware whose sleep time the Hub fixes at 48 h (the client's cpu-basic warning).
FIXED_SLEEP_SECONDS = 48 * 3600
FIXED_SLEEP_FLAVORS = frozenset({"cpu-basic", "zero-a10g"})
DEFAULT_FLAVOR = "cpu-basic"

BUILD = Step("build", "build")
START = Step("start", "start")

_STEPS = {
    S.BUILDING: BUILD,
    S.RUNNING_BUILDING: BUILD,
    S.APP_STARTING: START,
    S.RUNNING_APP_STARTING: START,
}


@dataclass(frozen=True)
class Outcome:
    """How the next automatic step turns out (from the Space's script; defaults succeed)."""

    build_ok: bool = True
    crash_at_start: bool = False


#: (stage, succeeded) -> stage after the automatic step
_AFTER: dict[tuple[SpaceStage, bool], SpaceStage] = {
    (S.BUILDING, True): S.APP_STARTING,
    (S.BUILDING, False): S.BUILD_ERROR,
    (S.RUNNING_BUILDING, True): S.RUNNING_APP_STARTING,
    (S.RUNNING_BUILDING, False): S.BUILD_ERROR,
    (S.APP_STARTING, True): S.RUNNING,
    (S.APP_STARTING, False): S.RUNTIME_ERROR,
    (S.RUNNING_APP_STARTING, True): S.RUNNING,
    (S.RUNNING_APP_STARTING, False): S.RUNTIME_ERROR,
}


def next_step(stage: SpaceStage) -> Step | None:
    """The automatic step out of ``stage``; ``None`` when the stage rests."""
    return _STEPS.get(stage)


def after_step(stage: SpaceStage, outcome: Outcome) -> SpaceStage:
    """Where the automatic step out of ``stage`` lands."""
    step = _STEPS.get(stage)
    if step is None:
        raise ValueError(f"{stage.value} has no automatic step")
    succeeded = outcome.build_ok if step is BUILD else not outcome.crash_at_start
    return _AFTER[(stage, succeeded)]


def rebuild_stage(stage: SpaceStage) -> SpaceStage:
    """A rebuild keeps the old app serving if there is one (a new commit, a hardware change)."""
    return S.RUNNING_BUILDING if stage in SERVING else S.BUILDING


def after_change(stage: SpaceStage) -> SpaceStage:
    """The stage after a configuration change (hardware, secrets, variables, volumes, ...)."""
    return rebuild_stage(stage) if stage in RESTARTED_BY_CHANGES else stage


def is_intermediate(stage: SpaceStage) -> bool:
    return stage in INTERMEDIATE


def current_hardware(stage: SpaceStage, previous: str | None, requested: str | None) -> str | None:
    """``hardware.current``: the flavor of the app that serves, null when none does.

    The app that comes up on RUNNING runs on the requested flavor; during RUNNING_BUILDING and
    RUNNING_APP_STARTING the old app keeps its old flavor.
    """
    if stage is S.RUNNING:
        return requested
    if stage in SERVING:
        return previous
    return None


def effective_flavor(sdk: str, requested: str | None) -> str | None:
    if sdk == "static":
        return None
    return requested or DEFAULT_FLAVOR


def gc_timeout(sdk: str, requested: str | None, sleep_time: int | None) -> int | None:
    """``gcTimeout`` on the wire: 48 h on cpu-basic/ZeroGPU whatever was asked; else the
    configured value (``-1`` = never), ``None`` when never set (never sleeps)."""
    flavor = effective_flavor(sdk, requested)
    if flavor is None:
        return None
    if flavor in FIXED_SLEEP_FLAVORS:
        return FIXED_SLEEP_SECONDS
    return sleep_time


def sleeps_after(sdk: str, requested: str | None, sleep_time: int | None) -> int | None:
    """Seconds of inactivity before sleeping, or ``None`` for never."""
    value = gc_timeout(sdk, requested, sleep_time)
    return None if value is None or value < 0 else value
