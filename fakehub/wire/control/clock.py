"""Health, the virtual clock, reset and progression policies."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from fakehub.clock import ClockState
from fakehub.machines.policy import Policy
from fakehub.timefmt import iso


class Health(TypedDict):
    status: Literal["ok"]
    version: str


class Clock(TypedDict):
    now: str
    nowNs: int
    mode: Literal["manual", "realtime"]
    speed: float


class ResetDone(TypedDict):
    status: Literal["reset"]
    clock: Clock


class PolicyOut(TypedDict):
    policy: str
    durations: dict[str, float]


class Policies(TypedDict):
    space: PolicyOut
    job: PolicyOut


def health_json(version: str) -> Health:
    return {"status": "ok", "version": version}


def clock_json(state: ClockState) -> Clock:
    return {
        "now": iso(state.now_ns),
        "nowNs": state.now_ns,
        "mode": state.mode,
        "speed": state.speed,
    }


def reset_json(state: ClockState) -> ResetDone:
    return {"status": "reset", "clock": clock_json(state)}


def policy_json(policy: Policy) -> PolicyOut:
    return {"policy": policy.describe(), "durations": dict(policy.durations)}


def policies_json(space: Policy, job: Policy) -> Policies:
    return {"space": policy_json(space), "job": policy_json(job)}
