"""Loading scenario files, with errors that name the file, the key path and what was expected."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from croniter import croniter
from pydantic import ValidationError

from fakehub.domain.catalogue import job_flavor, space_flavor
from fakehub.domain.spaces.records import SpaceStage
from fakehub.faults.rules import FaultRule
from fakehub.machines.policy import Policy
from fakehub.scenario.apply import apply, hub_config
from fakehub.scenario.model import (
    ACTION_ARGS,
    SCENARIO_VERSION,
    CancelJobArgs,
    EventModel,
    OutageArgs,
    PolicyArgs,
    PolicyModel,
    Scenario,
    ScenarioError,
    event_offset_seconds,
)
from fakehub.timefmt import parse_iso
from fakehub.untrusted import InputRefused, load_yaml

if TYPE_CHECKING:
    from fakehub.config import HubConfig
    from fakehub.hub import FakeHub

#: Scenarios shipped with fakehub: the top-level ``scenarios/`` folder of the project, reached
#: through the ``fakehub/shipped_scenarios`` link (a real folder once installed from a wheel).
SHIPPED = Path(__file__).resolve().parents[1] / "shipped_scenarios"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario: the starting state a hub can be built from (and reset to)."""

    scenario: Scenario
    source: str

    def configure(self, base: HubConfig) -> HubConfig:
        return hub_config(self.scenario, base)

    def build(self, hub: FakeHub) -> None:
        apply(hub, self.scenario, self.source)


def _path(location: tuple[int | str, ...]) -> str:
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (not part of scenario format version 1; check the spelling)"
    if error["type"] == "missing":
        return "required key is missing"
    return str(error["msg"])


def parse(text: str, source: str = "<scenario>") -> LoadedScenario:
    try:
        data = load_yaml(text)
    except InputRefused as exc:
        raise ScenarioError(source, [f"refused: {exc}"]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(source, [f"not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise ScenarioError(source, ["expected a mapping at the top level"])
    version = data.get("version")
    if version != SCENARIO_VERSION:
        raise ScenarioError(
            source,
            [
                f"version: expected {SCENARIO_VERSION}, got {version!r} (this fakehub reads "
                f"scenario format version {SCENARIO_VERSION})"
            ],
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_path(e['loc'])}: {_message(e)}" for e in exc.errors()]
        raise ScenarioError(source, problems) from None
    problems = list(_semantic_problems(scenario))
    if problems:
        raise ScenarioError(source, problems)
    return LoadedScenario(scenario, source)


def load(path: str | Path) -> LoadedScenario:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(str(file), ["no such file"]) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ScenarioError(str(file), [f"cannot read: {exc}"]) from None
    return parse(text, str(file))


def resolve(name_or_path: str) -> Path:
    """A shipped scenario by name (``happy-deploy``), or a path to a file."""
    candidate = Path(name_or_path)
    try:
        if candidate.suffix in SUFFIXES or candidate.exists():
            return candidate
        for suffix in SUFFIXES:
            shipped = SHIPPED / f"{name_or_path}{suffix}"
            if shipped.exists():
                return shipped
    except (OSError, ValueError):  # a name no file system accepts: too long, NUL bytes
        pass
    known = ", ".join(name for name, _ in shipped_scenarios()) or "none"
    raise ScenarioError(name_or_path, [f"no shipped scenario by that name (known: {known})"])


def shipped_scenarios() -> list[tuple[str, str]]:
    """``(name, one-line description)`` of every shipped scenario, sorted by name."""
    out = []
    for file in sorted(SHIPPED.glob("*.y*ml")):
        try:
            description = load(file).scenario.description.strip().splitlines()[0]
        except (ScenarioError, IndexError):
            description = "(invalid scenario)"
        out.append((file.stem, description))
    return out


# -- rules that need more than one field --------------------------------------------------------


def _semantic_problems(s: Scenario) -> Iterator[str]:
    try:
        start = parse_iso(s.clock.start)
    except ValueError:
        yield f"clock.start: not an ISO-8601 time: {s.clock.start!r}"
        start = 0
    yield from _policy_problems(s)
    users = {u.name for u in s.users} if s.users is not None else {"fakeuser"}
    orgs = {o.name for o in s.orgs} if s.orgs is not None else {"fakeorg"}
    yield from _account_problems(s, users, orgs)
    namespaces = users | orgs
    yield from _space_problems(s, namespaces)
    yield from _job_problems(s, namespaces)
    for index, scheduled in enumerate(s.scheduled_jobs):
        if not _valid_schedule(scheduled.schedule):
            yield f"scheduled_jobs[{index}].schedule: not a cron expression or @alias: {scheduled.schedule!r}"
    for index, fault in enumerate(s.faults):
        try:
            FaultRule.model_validate(fault.model_dump())
        except ValidationError as exc:
            for error in exc.errors():
                yield f"faults[{index}].{_path(error['loc'])}: {_message(error)}"
    for index, outage in enumerate(s.flavor_outages):
        if space_flavor(outage.flavor) is None and job_flavor(outage.flavor) is None:
            yield f"flavor_outages[{index}].flavor: unknown hardware flavor {outage.flavor!r}"
    for index, event in enumerate(s.timeline):
        problem = _event_time_problem(event.at, start)
        if problem:
            yield f"timeline[{index}].at: {problem}"
        yield from _event_args_problems(s, index, event)


def _space_problems(s: Scenario, namespaces: set[str]) -> Iterator[str]:
    stages = {stage.value for stage in SpaceStage}
    for index, space in enumerate(s.spaces):
        where = f"spaces[{index}]"
        if space.id.split("/")[0] not in namespaces:
            yield f"{where}.id: namespace {space.id.split('/')[0]!r} is not a user or org of this scenario"
        if space.hardware is not None and space_flavor(space.hardware) is None:
            yield f"{where}.hardware: unknown Space hardware flavor {space.hardware!r}"
        if space.stage is not None and space.stage not in stages:
            yield f"{where}.stage: unknown stage {space.stage!r}; expected one of {', '.join(sorted(stages))}"
    if len({space.id for space in s.spaces}) != len(s.spaces):
        yield "spaces: the same Space id appears twice"


def _job_problems(s: Scenario, namespaces: set[str]) -> Iterator[str]:
    placed: list[tuple[str, str, str]] = [
        *((f"jobs[{i}]", j.namespace, j.flavor) for i, j in enumerate(s.jobs)),
        *((f"scheduled_jobs[{i}]", j.namespace, j.flavor) for i, j in enumerate(s.scheduled_jobs)),
    ]
    for where, namespace, flavor in placed:
        if namespace not in namespaces:
            yield f"{where}.namespace: {namespace!r} is not a user or org of this scenario"
        if job_flavor(flavor) is None:
            yield f"{where}.flavor: unknown Jobs hardware flavor {flavor!r}"


def _event_args_problems(s: Scenario, index: int, event: EventModel) -> Iterator[str]:
    where = f"timeline[{index}].args"
    model = FaultRule if event.action == "add_fault" else ACTION_ARGS[event.action]
    try:
        args = model.model_validate(event.args)
    except ValidationError as exc:
        for error in exc.errors():
            yield f"{where}.{_path(error['loc'])}: {_message(error)}"
        return
    if isinstance(args, CancelJobArgs) and args.job >= len(s.jobs):
        yield f"{where}.job: no job #{args.job} in this scenario's jobs ({len(s.jobs)} declared)"
    if (
        isinstance(args, OutageArgs)
        and space_flavor(args.flavor) is job_flavor(args.flavor) is None
    ):
        yield f"{where}.flavor: unknown hardware flavor {args.flavor!r}"
    if isinstance(args, PolicyArgs):
        try:
            Policy.parse(args.policy, args.durations)
        except ValueError as exc:
            yield f"{where}.policy: {exc}"


def _policy_problems(s: Scenario) -> Iterator[str]:
    for kind, value in s.policies.items():
        model = value if isinstance(value, PolicyModel) else PolicyModel(policy=value)
        try:
            Policy.parse(model.policy, model.durations)
        except ValueError as exc:
            yield f"policies.{kind}: {exc}"


def _account_problems(s: Scenario, users: set[str], orgs: set[str]) -> Iterator[str]:
    tokens: set[str] = set()
    for index, user in enumerate(s.users or []):
        for t_index, token in enumerate(user.tokens):
            if token.value in tokens:
                yield f"users[{index}].tokens[{t_index}].value: token used twice"
            tokens.add(token.value)
    for index, org in enumerate(s.orgs or []):
        if org.name in users:
            yield f"orgs[{index}].name: {org.name!r} is already a user name"
        for member in org.members:
            if member not in users:
                yield f"orgs[{index}].members.{member}: no such user in this scenario"


def _valid_schedule(schedule: str) -> bool:
    aliases = {"@annually", "@yearly", "@monthly", "@weekly", "@daily", "@hourly"}
    return schedule in aliases or croniter.is_valid(schedule)


def _event_time_problem(at: Any, start_ns: int) -> str | None:
    try:
        offset = event_offset_seconds(at, start_ns)
    except ValueError as exc:
        return str(exc)
    if offset < 0:
        return f"{at!r} is before the scenario's clock.start: events cannot be in the past"
    return None
