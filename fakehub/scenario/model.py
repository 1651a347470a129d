"""The scenario format, version 1, as pydantic models (the JSON Schema is generated from these).

Every model forbids unknown keys, so a typo is an error that names the key instead of a setting
silently ignored. Durations are seconds (number) or strings like ``"90s"``, ``"10m"``, ``"2h"``.
Cross-field rules that need the catalogue (flavors) or the whole file (events in the past,
unknown users) live in :mod:`fakehub.scenario.loader`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from fakehub.clock import NS_PER_SECOND
from fakehub.timefmt import parse_duration, parse_iso

SCENARIO_VERSION = 1

#: Seconds (a number) or a string such as "90s", "10m", "2h", "1d"; validated to seconds.
Duration = Annotated[
    float | str,
    AfterValidator(parse_duration),
    Field(description="Seconds, or a string such as '90s', '10m', '2h', '1d'."),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenModel(_Model):
    value: str = Field(pattern=r"^hf_[A-Za-z0-9_]+$", description="The token string clients send.")
    role: Literal["read", "write"] = "write"
    name: str = ""


class UserModel(_Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    plan: Literal["free", "pro", "no-payment-method"] = "free"
    fullname: str = ""
    email: str = ""
    tokens: list[TokenModel] = Field(default_factory=list)


class OrgModel(_Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    plan: Literal["free", "pro", "no-payment-method"] = "free"
    fullname: str = ""
    members: dict[str, Literal["admin", "write", "contributor", "read"]] = Field(
        default_factory=dict
    )


class PolicyModel(_Model):
    policy: str = Field(description="'timed', 'instant' or 'per-poll(N)'.")
    durations: dict[str, Duration] = Field(default_factory=dict)


class ClockModel(_Model):
    start: str = Field(default="2026-01-01T00:00:00Z", description="ISO-8601 UTC start time.")
    mode: Literal["manual", "realtime"] = "manual"
    speed: float = Field(default=1.0, gt=0, le=100_000)
    history: Duration | None = Field(
        default=None,
        description="Run the scenario for this long *before* `start`, so it begins with a past: "
        "scheduled jobs have fired, builds have finished, jobs have run.",
    )


class AppRouteModel(_Model):
    """What the Space's app answers on one path of its host while it serves."""

    status: int = Field(default=200, ge=100, le=599)
    headers: dict[str, str] = Field(default_factory=dict)
    body: str = ""
    latency: Duration = Field(default=0, description="Real seconds before the answer")


class SpaceScriptModel(_Model):
    """How this Space's builds and runs go (defaults: everything succeeds)."""

    build: Literal["ok", "error"] = "ok"
    build_logs: list[str] | None = None
    run_logs: list[str] | None = None
    crash_after: Duration | None = None
    error_message: str | None = None
    app: dict[str, AppRouteModel] = Field(
        default_factory=dict,
        description="Per path of the app host (e.g. '/health'): status, headers, body, latency",
    )


class SpaceModel(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
    sdk: Literal["gradio", "streamlit", "docker", "static"] = "gradio"
    visibility: Literal["public", "private", "protected"] = "public"
    stage: str | None = Field(
        default=None,
        description="Starting stage (e.g. RUNNING, SLEEPING, PAUSED, BUILD_ERROR); default: "
        "what the files imply.",
    )
    hardware: str | None = None
    sleep_time: int | None = None
    storage: Literal["small", "medium", "large"] | None = None
    files: dict[str, str] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict)
    variables: dict[str, str] = Field(default_factory=dict)
    logs: dict[Literal["build", "run"], list[str]] = Field(default_factory=dict)
    script: SpaceScriptModel | None = None


class JobOutcomeModel(_Model):
    """How one job ends (default: exit 0 after the policy's run time, echoing its command)."""

    stage: Literal["COMPLETED", "ERROR"] | None = None
    exit_code: int | None = None
    after: Duration | None = None
    message: str | None = None
    logs: list[str] | None = None
    hang: bool = False


class JobModel(_Model):
    namespace: str
    image: str = "python:3.12"
    command: list[str] = Field(min_length=1)
    flavor: str = "cpu-basic"
    env: dict[str, str] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)
    timeout: Duration | None = None
    stage: Literal["SCHEDULING", "RUNNING", "COMPLETED", "ERROR", "CANCELED"] | None = None
    outcome: JobOutcomeModel | None = None


class ScheduledJobModel(_Model):
    namespace: str
    schedule: str
    image: str = "python:3.12"
    command: list[str] = Field(min_length=1)
    flavor: str = "cpu-basic"
    suspend: bool = False
    concurrency: bool = False
    labels: dict[str, str] = Field(default_factory=dict)


class FaultModel(_Model):
    """A fault rule, as accepted by ``POST /_fakehub/faults`` (validated by the fault engine)."""

    model_config = ConfigDict(extra="allow", frozen=True)


class FlavorOutageModel(_Model):
    flavor: str
    duration: Duration = Field(alias="for")
    kind: Literal["space", "job", "both"] = "both"

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SpaceArgs(_Model):
    space: str = Field(pattern=r"^[^/\s]+/[^/\s]+$", description="The Space's repo id.")


class RestartArgs(SpaceArgs):
    factory: bool = False


class CrashArgs(SpaceArgs):
    message: str = "Scripted crash (fakehub scenario)"


class CancelJobArgs(_Model):
    job: int = Field(ge=0, description="Index of the job in this scenario's `jobs` list.")


class OutageArgs(_Model):
    flavor: str
    duration: Duration = Field(alias="for")
    kind: Literal["space", "job", "both"] = "both"

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PolicyArgs(PolicyModel):
    kind: Literal["space", "job"]


class NoArgs(_Model):
    pass


#: What each timeline action takes as ``args`` (``add_fault`` takes a fault rule).
ACTION_ARGS: dict[str, type[BaseModel]] = {
    "restart_space": RestartArgs,
    "pause_space": SpaceArgs,
    "crash_space": CrashArgs,
    "visit_space": SpaceArgs,
    "cancel_job": CancelJobArgs,
    "clear_faults": NoArgs,
    "flavor_outage": OutageArgs,
    "set_policy": PolicyArgs,
}


class EventModel(_Model):
    """Something that happens at a virtual time.

    ``at`` is relative to ``clock.start`` ('5m', 300) or an absolute ISO time; ``action`` names
    what happens and ``args`` its arguments: ``space`` (repo id) for the Space actions
    (``restart_space`` also takes ``factory``, ``crash_space`` a ``message``), ``job`` (index in
    ``jobs``) for ``cancel_job``, a fault rule for ``add_fault``, ``flavor``/``for``/``kind`` for
    ``flavor_outage``, ``kind``/``policy``/``durations`` for ``set_policy``.
    """

    at: float | str = Field(
        description="When: relative to the scenario start ('5m', 300) or an absolute ISO time."
    )
    action: Literal[
        "restart_space",
        "pause_space",
        "crash_space",
        "visit_space",
        "cancel_job",
        "add_fault",
        "clear_faults",
        "flavor_outage",
        "set_policy",
    ]
    args: dict[str, Any] = Field(default_factory=dict)


class Scenario(_Model):
    version: Literal[1] = Field(description="Format version; this is version 1.")
    name: str = ""
    description: str = ""
    seed: int = 0
    clock: ClockModel = Field(default_factory=ClockModel)
    policies: dict[Literal["space", "job"], PolicyModel | str] = Field(default_factory=dict)
    users: list[UserModel] | None = Field(
        default=None, description="Replaces the default fakeuser when given."
    )
    orgs: list[OrgModel] | None = None
    spaces: list[SpaceModel] = Field(default_factory=list)
    jobs: list[JobModel] = Field(default_factory=list)
    scheduled_jobs: list[ScheduledJobModel] = Field(default_factory=list)
    flavor_outages: list[FlavorOutageModel] = Field(default_factory=list)
    faults: list[FaultModel] = Field(default_factory=list)
    timeline: list[EventModel] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/fakehub/fakehub/scenario-v1.schema.json"
    schema["title"] = "fakehub scenario (version 1)"
    return schema


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` lists every issue found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


def event_offset_seconds(at: float | str, start_ns: int) -> float:
    """Seconds after the scenario start at which an event happens."""
    if isinstance(at, str) and ("T" in at or at.count("-") >= 2):
        return (parse_iso(at) - start_ns) / NS_PER_SECOND
    return parse_duration(at)
