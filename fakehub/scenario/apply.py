"""Applying a scenario to a hub: accounts and clock, then Spaces, Jobs, faults and the timeline.

Resources are created through the hub's own operations, acting as their namespace's owner, so a
scenario can only build states the fake could reach by itself. A problem found while applying
(e.g. paid hardware for a user without a payment method) is a :class:`ScenarioError` naming the
key, like a validation problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from fakehub.clock import NS_PER_SECOND
from fakehub.config import HubConfig, OrgSpec, TokenSpec, UserSpec, default_orgs, default_users
from fakehub.domain.accounts import Plan
from fakehub.domain.errors import HubError
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.jobs.records import DEFAULT_TIMEOUT_SECONDS, JobSpec
from fakehub.domain.spaces.commits import AddFile
from fakehub.domain.spaces.files import CommitHeader
from fakehub.domain.spaces.options import KeyValueInput, SpaceOptions
from fakehub.domain.spaces.records import AppRoute, SpaceStage
from fakehub.faults.rules import FaultRule
from fakehub.machines.policy import Policy
from fakehub.scenario import actions
from fakehub.scenario.actions import owner_of
from fakehub.scenario.model import (
    JobModel,
    PolicyModel,
    Scenario,
    ScenarioError,
    ScheduledJobModel,
    SpaceModel,
    event_offset_seconds,
)
from fakehub.timefmt import parse_duration, parse_iso

if TYPE_CHECKING:
    from fakehub.hub import FakeHub


def _policy(value: PolicyModel | str | None) -> Policy:
    if value is None:
        return Policy()
    model = value if isinstance(value, PolicyModel) else PolicyModel(policy=value)
    return Policy.parse(model.policy, model.durations)


def hub_config(scenario: Scenario, base: HubConfig | None = None) -> HubConfig:
    """The configuration a hub starts from to play ``scenario``."""
    base = base or HubConfig()
    history = parse_duration(scenario.clock.history or 0)
    start = parse_iso(scenario.clock.start) - round(history * NS_PER_SECOND)
    users = default_users()
    if scenario.users is not None:
        users = tuple(
            UserSpec(
                name=u.name,
                plan=Plan(u.plan),
                fullname=u.fullname,
                email=u.email,
                tokens=tuple(TokenSpec(t.value, t.role, t.name) for t in u.tokens),
            )
            for u in scenario.users
        )
    orgs = default_orgs()
    if scenario.orgs is not None:
        orgs = tuple(
            OrgSpec(o.name, tuple(o.members.items()), Plan(o.plan), o.fullname)
            for o in scenario.orgs
        )
    return HubConfig(
        seed=scenario.seed,
        start_ns=start,
        clock_mode="manual",  # the mode is set once the history has been played
        clock_speed=scenario.clock.speed,
        space_policy=_policy(scenario.policies.get("space")),
        job_policy=_policy(scenario.policies.get("job")),
        users=users,
        orgs=orgs,
        max_body_bytes=base.max_body_bytes,
        max_storage_bytes=base.max_storage_bytes,
        storage_dir=base.storage_dir,
    )


@contextmanager
def _naming(source: str, where: str) -> Iterator[None]:
    """Report a refused operation as a scenario problem at ``where``."""
    try:
        yield
    except HubError as exc:
        raise ScenarioError(source, [f"{where}: {exc.message}"]) from None


def apply(hub: FakeHub, scenario: Scenario, source: str = "<scenario>") -> None:
    """Build the scenario's state on a hub freshly reset with :func:`hub_config`."""
    for index, space in enumerate(scenario.spaces):
        with _naming(source, f"spaces[{index}]"):
            _space(hub, space)
    job_ids: list[str] = []
    for index, job in enumerate(scenario.jobs):
        with _naming(source, f"jobs[{index}]"):
            job_ids.append(_job(hub, job))
    for index, scheduled in enumerate(scenario.scheduled_jobs):
        with _naming(source, f"scheduled_jobs[{index}]"):
            _scheduled(hub, scheduled)
    for outage in scenario.flavor_outages:
        actions.flavor_outage(hub, outage.flavor, parse_duration(outage.duration), outage.kind)
    for fault in scenario.faults:
        hub.faults.add(FaultRule.model_validate(fault.model_dump()))
    start = parse_iso(scenario.clock.start)
    for event in scenario.timeline:
        at = start + round(event_offset_seconds(event.at, start) * NS_PER_SECOND)
        hub.call_at(
            at,
            actions.bind(hub, event.action, event.args, job_ids),
            label=f"scenario:{event.action}",
        )
    if hub.now() < start:  # play the history
        hub.move_to(start)
    if scenario.clock.mode == "realtime":
        hub.set_clock_mode("realtime", scenario.clock.speed)


def _kv(items: dict[str, str]) -> tuple[KeyValueInput, ...] | None:
    return tuple(KeyValueInput(k, v) for k, v in items.items()) or None


def _space(hub: FakeHub, model: SpaceModel) -> None:
    namespace, name = model.id.split("/")
    actor = owner_of(hub, namespace)
    options = SpaceOptions(
        hardware=model.hardware,
        storage=model.storage,
        sleep_time=model.sleep_time,
        secrets=_kv(model.secrets),
        variables=_kv(model.variables),
    )
    hub.repos.create(
        actor,
        name=name,
        organization=namespace,
        sdk=model.sdk,
        visibility=model.visibility,
        options=options,
        endpoint="https://huggingface.co",
    )
    _script(hub, model)
    if model.files:
        files = [AddFile(path, content.encode()) for path, content in model.files.items()]
        hub.files.commit(actor, model.id, "main", CommitHeader("Add files"), files)
    if model.stage is not None:
        hub.spaces.place(model.id, SpaceStage(model.stage))


def _script(hub: FakeHub, model: SpaceModel) -> None:
    script = model.script
    if script is not None or model.logs:
        hub.spaces.script(
            model.id,
            build=script.build if script else "ok",
            build_logs=(script.build_logs if script and script.build_logs else None)
            or model.logs.get("build"),
            run_logs=(script.run_logs if script and script.run_logs else None)
            or model.logs.get("run"),
            crash_after=(
                parse_duration(script.crash_after)
                if script and script.crash_after is not None
                else None
            ),
            error_message=script.error_message if script else None,
            app={
                path: AppRoute(
                    route.status,
                    tuple(route.headers.items()),
                    route.body,
                    parse_duration(route.latency),
                )
                for path, route in (script.app if script else {}).items()
            },
        )


def _spec(model: JobModel | ScheduledJobModel) -> JobSpec:
    timeout = getattr(model, "timeout", None)
    return JobSpec(
        flavor=model.flavor,
        command=tuple(model.command),
        docker_image=model.image,
        environment=dict(getattr(model, "env", {})),
        secrets=dict(getattr(model, "secrets", {})),
        timeout_seconds=(
            DEFAULT_TIMEOUT_SECONDS if timeout is None else round(parse_duration(timeout))
        ),
        labels=dict(model.labels),
    )


def _outcome(model: JobModel) -> JobOutcome | None:
    wanted = model.outcome
    stage = model.stage
    if wanted is None and stage in (None, "SCHEDULING", "CANCELED"):
        return None
    kwargs: dict[str, object] = {}
    if wanted is not None:
        kwargs.update(
            exit_code=wanted.exit_code,
            stage="RUNNING" if wanted.hang else wanted.stage,
            seconds=None if wanted.after is None else parse_duration(wanted.after),
            message=wanted.message,
        )
    if stage in ("RUNNING", "COMPLETED", "ERROR"):
        kwargs["schedule_seconds"] = 0.0
    if stage in ("COMPLETED", "ERROR"):
        kwargs["seconds"] = 0.0
        kwargs.setdefault("exit_code", None)
        if kwargs["exit_code"] is None:
            kwargs["exit_code"] = 0 if stage == "COMPLETED" else 1
    return JobOutcome.of(logs=wanted.logs if wanted else None, **kwargs)


def _job(hub: FakeHub, model: JobModel) -> str:
    outcome = _outcome(model)
    if outcome is not None:
        hub.jobs.queue_outcomes(outcome)
    job = hub.jobs.run(owner_of(hub, model.namespace), model.namespace, _spec(model))
    if model.stage == "CANCELED":
        hub.jobs.cancel(owner_of(hub, model.namespace), model.namespace, job.id)
    return job.id


def _scheduled(hub: FakeHub, model: ScheduledJobModel) -> None:
    hub.scheduled_jobs.create(
        owner_of(hub, model.namespace),
        model.namespace,
        _spec(model),
        model.schedule,
        suspend=model.suspend,
        concurrency=model.concurrency,
    )
