"""Timeline actions: what a scenario event does when its time comes.

Arguments were validated when the scenario was loaded (``ACTION_ARGS``); here they are parsed
again into their models and applied through the hub's own operations, acting as the owner.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from fakehub.domain.accounts import Actor
from fakehub.domain.spaces.records import SpaceStage
from fakehub.faults.rules import FaultRule
from fakehub.machines.policy import Policy
from fakehub.scenario.model import (
    CancelJobArgs,
    CrashArgs,
    OutageArgs,
    PolicyArgs,
    RestartArgs,
    ScenarioError,
    SpaceArgs,
)
from fakehub.timefmt import parse_duration

if TYPE_CHECKING:
    from fakehub.hub import FakeHub


def flavor_outage(hub: FakeHub, flavor: str, seconds: float, kind: str) -> None:
    hub.outages.add(flavor, duration_s=seconds, kind=kind)


def owner_of(hub: FakeHub, namespace: str) -> Actor:
    """Who acts for ``namespace``: the user itself, or an admin of the org."""
    accounts = hub.accounts
    if namespace in accounts.users:
        return Actor(accounts.users[namespace], "write")
    org = accounts.orgs[namespace]
    admins = [m for m, role in org.members.items() if role in ("admin", "write")]
    if not admins:
        raise ScenarioError("<scenario>", [f"org {namespace!r} has no admin or write member"])
    return Actor(accounts.users[admins[0]], "write")


def _owner(hub: FakeHub, repo_id: str) -> Actor:
    return owner_of(hub, repo_id.split("/")[0])


def bind(
    hub: FakeHub, action: str, raw: Mapping[str, Any], job_ids: list[str]
) -> Callable[[int], None]:
    """The scheduler action for one timeline event."""

    def run(at_ns: int) -> None:
        if action == "restart_space":
            restart = RestartArgs.model_validate(raw)
            hub.spaces.restart(_owner(hub, restart.space), restart.space, factory=restart.factory)
        elif action == "pause_space":
            space = SpaceArgs.model_validate(raw).space
            hub.spaces.pause(_owner(hub, space), space)
        elif action == "crash_space":
            crash = CrashArgs.model_validate(raw)
            hub.spaces.place(crash.space, SpaceStage.RUNTIME_ERROR, error_message=crash.message)
        elif action == "visit_space":
            hub.spaces.visit(SpaceArgs.model_validate(raw).space)
        elif action == "cancel_job":
            job = hub.jobs.records()[job_ids[CancelJobArgs.model_validate(raw).job]]
            hub.jobs.cancel(_owner(hub, f"{job.namespace}/-"), job.namespace, job.id)
        elif action == "add_fault":
            hub.faults.add(FaultRule.model_validate(dict(raw)))
        elif action == "clear_faults":
            hub.faults.clear()
        elif action == "flavor_outage":
            outage = OutageArgs.model_validate(raw)
            flavor_outage(hub, outage.flavor, parse_duration(outage.duration), outage.kind)
        elif action == "set_policy":
            policy = PolicyArgs.model_validate(raw)
            hub.set_policy(policy.kind, Policy.parse(policy.policy, policy.durations))
        else:  # pragma: no cover - the model's Literal forbids it
            raise ValueError(f"unknown timeline action {action!r}")

    return run
