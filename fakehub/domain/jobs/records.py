"""Job records: the spec a job was created with (frozen) and the job itself (mutable, hub-owned).

The spec keeps secret *values* because a real job would receive them; nothing on the wire ever
returns them (``fakehub.wire.jobs`` emits the names only).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Literal

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.history import StageHistory, StageMark
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.domain.volumes import Volume
from fakehub.scheduler import EventHandle

#: The empty mapping every spec without environment or secrets shares (read-only).
NO_VALUES: Mapping[str, str] = MappingProxyType({})

#: What an unscripted job does (a frozen value, shared rather than built on every read).
DEFAULT_OUTCOME = JobOutcome()

#: The Hub's default maximum wall time of a job when none is requested (hub-docs: 30 minutes).
DEFAULT_TIMEOUT_SECONDS = 1800


class JobStage(str, Enum):
    SCHEDULING = "SCHEDULING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
    CANCELED = "CANCELED"
    DELETED = "DELETED"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STAGES


TERMINAL_STAGES = frozenset(
    {JobStage.COMPLETED, JobStage.ERROR, JobStage.CANCELED, JobStage.DELETED}
)
#: each stage's value, read without the enum's ``value`` descriptor (a Python call per read)
STAGE_VALUES: dict[JobStage, str] = {stage: stage.value for stage in JobStage}


@dataclass(frozen=True, slots=True)
class Network:
    group: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class JobSpec:
    """What ``POST /api/jobs/{ns}`` (or a scheduled job's ``jobSpec``) asked for, validated."""

    flavor: str
    command: tuple[str, ...]
    docker_image: str | None = None
    space_id: str | None = None
    arguments: tuple[str, ...] = ()
    environment: Mapping[str, str] = field(default_factory=lambda: NO_VALUES)
    secrets: Mapping[str, str] = field(default_factory=lambda: NO_VALUES)
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    attempts: int = 1
    labels: Mapping[str, str] = field(default_factory=dict)
    volumes: tuple[Volume, ...] = ()
    expose_ports: tuple[int, ...] | None = None
    expose_public: tuple[int, ...] = ()
    ssh: bool = False
    network: Network | None = None
    resource_group_id: str | None = None
    arch: str | None = None

    @property
    def image(self) -> str:
        return self.docker_image or f"hf.co/spaces/{self.space_id}"


@dataclass(frozen=True, slots=True)
class Person:
    """A user or org as the Job JSON shows it (``owner``, ``createdBy``, user ``initiator``)."""

    id: str
    name: str
    type: Literal["user", "org"]
    avatar_url: str


@dataclass(frozen=True, slots=True)
class Initiator:
    """Who started a run: a person, a scheduled job, a duplicated job or a webhook."""

    type: Literal["user", "org", "scheduled-job", "duplicated-job", "webhook"]
    id: str
    person: Person | None = None


@dataclass(frozen=True, slots=True)
class LogLine:
    at_ns: int
    text: str


@dataclass(frozen=True, slots=True)
class StageEvent:
    """A job entering a stage (``/events`` replays these): its status at that instant."""

    at_ns: int
    stage: JobStage
    message: str | None
    failure_count: int


@dataclass(frozen=True, slots=True)
class EnteredStage:
    """What a job's status was as it entered a stage; one shared value per distinct status (a
    job keeps one per stage it entered, for life, and few distinct ones exist)."""

    stage: JobStage
    message: str | None = None
    failure_count: int = 0


@functools.lru_cache(maxsize=1024)
def entered_stage(stage: JobStage, message: str | None, failure_count: int) -> EnteredStage:
    """The shared value for this status (frozen, so sharing it is safe)."""
    return EnteredStage(stage, message, failure_count)


@dataclass(slots=True)
class Job:
    id: str
    namespace: str
    owner: Person
    created_by: Person
    initiator: Initiator
    spec: JobSpec
    created_at: int
    #: per-attempt scripted outcomes; the last one repeats for further attempts
    script: tuple[JobOutcome, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    expose_ports: tuple[int, ...] | None = None
    expose_public: tuple[int, ...] = ()
    stage: JobStage = JobStage.SCHEDULING
    message: str | None = None
    started_at: int | None = None
    finished_at: int | None = None
    exit_code: int | None = None
    failure_count: int = 0
    #: 1-based attempt number of the current (or last) run
    attempt: int = 1
    attempt_started_at: int | None = None
    #: every log line the job has printed or will print this attempt, sorted by time; lines
    #: after ``now`` are not visible yet (and are dropped if the job is stopped before them)
    lines: list[LogLine] = field(default_factory=list)
    #: every stage the job entered, in order, from its creation in SCHEDULING: when, and the
    #: status then (parallel tuples of ints and shared values: the compact form of ``events``)
    entered_at: tuple[int, ...] = ()
    entered: tuple[EnteredStage, ...] = ()
    timeout_handle: EventHandle | None = None
    scheduled_job_id: str | None = None

    @property
    def events(self) -> list[StageEvent]:
        """Every stage the job entered, in order, with its status at that instant."""
        return [
            StageEvent(at_ns, status.stage, status.message, status.failure_count)
            for at_ns, status in zip(self.entered_at, self.entered, strict=True)
        ]

    def enter(self, at_ns: int) -> None:
        """Record that the job entered its current stage (with its current status) at ``at_ns``."""
        self.entered_at = (*self.entered_at, at_ns)
        status = entered_stage(self.stage, self.message, self.failure_count)
        self.entered = (*self.entered, status)

    @property
    def history(self) -> StageHistory:
        """Every stage change with its virtual time (bounded), for the dashboard's timeline.

        Read from the stages entered: a job's flavor never changes, so each mark is an entered
        stage and its time (keeping a second list cost half a kilobyte per job).
        """
        flavor = self.spec.flavor
        return StageHistory.bounded(
            [
                StageMark(at_ns, STAGE_VALUES[status.stage], flavor)
                for at_ns, status in zip(self.entered_at, self.entered, strict=True)
            ]
        )

    @property
    def outcome(self) -> JobOutcome:
        if not self.script:
            return DEFAULT_OUTCOME
        return self.script[min(self.attempt, len(self.script)) - 1]

    def visible_lines(self, now_ns: int) -> list[LogLine]:
        end = len(self.lines)
        while end and self.lines[end - 1].at_ns > now_ns:
            end -= 1
        return self.lines[:end]

    def durations(self, now_ns: int) -> tuple[int, int, int]:
        """Whole seconds spent scheduling, running, and in total, as of ``now_ns``.

        Each stage lasts until the next one is entered; the current one until now, unless it is
        terminal (a finished job's clock has stopped).
        """
        scheduling = running = 0
        times = self.entered_at
        for index, status in enumerate(self.entered):
            end = times[index + 1] if index + 1 < len(times) else now_ns
            if status.stage is JobStage.SCHEDULING:
                scheduling += end - times[index]
            elif status.stage is JobStage.RUNNING:
                running += end - times[index]
            else:
                break  # a terminal stage, the last one: the clock stopped when it was entered
        end = self.finished_at if self.finished_at is not None else now_ns
        return (
            scheduling // NS_PER_SECOND,
            running // NS_PER_SECOND,
            (end - self.created_at) // NS_PER_SECOND,
        )
