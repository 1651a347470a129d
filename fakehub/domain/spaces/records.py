"""The Space record and its parts.

A :class:`Space` is mutable state owned by the hub (mutated only inside hub operations); the
values it holds (secrets, variables, volumes, log lines, commits) are frozen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, TypeVar

from fakehub.derived import DERIVED, Derived
from fakehub.domain.history import StageHistory
from fakehub.domain.volumes import Volume

SpaceSdk = Literal["gradio", "streamlit", "docker", "static"]
SPACE_SDKS: tuple[str, ...] = ("gradio", "streamlit", "docker", "static")
Visibility = Literal["public", "private", "protected"]


class SpaceStage(str, Enum):
    """The Hub's stage names (``SpaceStage`` in the client, plus ``SLEEPING``)."""

    NO_APP_FILE = "NO_APP_FILE"
    CONFIG_ERROR = "CONFIG_ERROR"
    BUILDING = "BUILDING"
    BUILD_ERROR = "BUILD_ERROR"
    APP_STARTING = "APP_STARTING"
    RUNNING = "RUNNING"
    RUNNING_BUILDING = "RUNNING_BUILDING"
    RUNNING_APP_STARTING = "RUNNING_APP_STARTING"
    RUNTIME_ERROR = "RUNTIME_ERROR"
    SLEEPING = "SLEEPING"
    PAUSED = "PAUSED"
    STOPPED = "STOPPED"
    DELETING = "DELETING"


class CardMemo(Derived):
    """A Space's parsed card (``card.space_card``) and the README bytes it was parsed from.

    Bytes never change, so while a Space's README is the very same object the card is the same;
    a commit that changes the README brings new bytes and the next read parses them.
    """

    __slots__ = ("card", "readme")

    def __init__(self, readme: bytes | None, card: object) -> None:
        self.readme = readme
        self.card = card


@dataclass(frozen=True, slots=True)
class KeyValue:
    """A Space secret or variable. Secret values are stored but never serialised."""

    key: str
    value: str
    description: str | None
    updated_at_ns: int


@dataclass(frozen=True, slots=True)
class LogLine:
    at_ns: int
    text: str


@dataclass(frozen=True)
class LfsPointer:
    """A file whose bytes live in the object store; git keeps only this pointer in the tree.

    ``xet_hash`` is set for files uploaded through Xet (their bytes are reconstructed from
    xorbs); classic LFS files have only the sha256.
    """

    sha256: str
    size: int
    xet_hash: str | None = None

    def pointer_text(self) -> bytes:
        """The git-lfs pointer file git stores (its blob id is the tree entry's ``oid``)."""
        return b"version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (
            self.sha256.encode(),
            self.size,
        )


#: What a tree holds at a path: the bytes of a regular file, or an LFS pointer.
FileContent = bytes | LfsPointer


@dataclass(frozen=True, slots=True)
class Commit:
    oid: str  # 40-hex commit sha
    title: str
    description: str
    author: str
    at_ns: int
    parent: str | None
    #: path -> content of the whole tree at this commit (shared, never mutated)
    tree: Mapping[str, FileContent] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SpaceScript:
    """Scripted outcome of a Space's builds and starts (defaults succeed).

    It stays in force for every later build and start until scripted again: the same code
    fails the same way.
    """

    build: Literal["ok", "error"] = "ok"
    #: build log lines (default: a short generic build); emitted when the build finishes
    build_logs: tuple[str, ...] | None = None
    #: run log lines once the app is up (default: the SDK's usual start-up banner)
    run_logs: tuple[str, ...] | None = None
    #: seconds after RUNNING at which the app crashes (0: it crashes while starting)
    crash_after: float | None = None
    #: ``errorMessage`` of BUILD_ERROR / RUNTIME_ERROR (default: a generic message)
    error_message: str | None = None
    #: what the app answers on its host, per path (``"/health"``); other paths get its page
    app: tuple[tuple[str, AppRoute], ...] = ()


@dataclass(frozen=True, slots=True)
class AppRoute:
    """A scripted answer of a Space's app to one path on its host (``<owner>-<name>.hf.space``)."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    #: real seconds before the answer (like a fault's latency: the client's timeouts are real)
    latency: float = 0.0


@dataclass(slots=True)
class Space:
    namespace: str
    name: str
    id: str  # 24-hex object id
    sdk: str
    visibility: Visibility
    created_at_ns: int
    last_modified_at_ns: int
    author: str  # the user who created it
    #: path -> content, at the head of ``main`` (the head commit's own tree: replaced by each
    #: commit, never changed in place)
    files: dict[str, FileContent] = field(default_factory=dict)
    commits: list[Commit] = field(default_factory=list)
    #: LFS/Xet objects uploaded to this repo, by sha256 (a commit may reference only these)
    objects: dict[str, LfsPointer] = field(default_factory=dict)
    # -- runtime ---------------------------------------------------------------------------------
    stage: SpaceStage = SpaceStage.NO_APP_FILE
    requested_hardware: str | None = None
    current_hardware: str | None = None
    #: seconds of inactivity before sleep; None = the default for the hardware
    sleep_time: int | None = None
    storage: str | None = None
    secrets: dict[str, KeyValue] = field(default_factory=dict)
    variables: dict[str, KeyValue] = field(default_factory=dict)
    volumes: list[Volume] = field(default_factory=list)
    dev_mode: bool = False
    error_message: str | None = None
    last_activity_ns: int = 0
    build_logs: list[LogLine] = field(default_factory=list)
    run_logs: list[LogLine] = field(default_factory=list)
    # -- runtime internals (appended by the runtime) -------------------------------------------
    script: SpaceScript = field(default_factory=SpaceScript)
    #: where the current build's lines start in ``build_logs`` (older builds stay as history)
    build_log_start: int = 0
    #: where the current app's lines start in ``run_logs``
    run_log_start: int = 0
    #: every stage change with its virtual time (bounded), for the dashboard's timeline
    history: StageHistory = field(default_factory=StageHistory)
    # -- repository settings (appended by the repos area) --------------------------------------
    #: ``False``, ``"auto"`` or ``"manual"`` (``PUT /settings``)
    gated: Literal[False, "auto", "manual"] = False
    resource_group_id: str | None = None
    region: Literal["us", "eu"] = "us"
    #: ``ns/name`` of the Space this one was duplicated from
    duplicated_from: str | None = None
    #: the commit the running app was started from (its host keeps serving it while a new
    #: commit builds: RUNNING_BUILDING, RUNNING_APP_STARTING)
    app_sha: str | None = None
    #: the README's parsed card (``card.space_card``); derived, so the dump leaves it out
    card_memo: CardMemo | None = field(default=None, repr=False, compare=False, metadata=DERIVED)

    def __copy__(self) -> Space:
        """Field by field: ``copy.copy`` of a slotted record goes through ``__reduce_ex__``,
        several times slower, and every runtime read answers with a copy."""
        return _copy_space(self)

    @property
    def repo_id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def private(self) -> bool:
        return self.visibility != "public"

    @property
    def sha(self) -> str | None:
        return self.commits[-1].oid if self.commits else None

    @property
    def subdomain(self) -> str:
        """``user/tmp_test_space`` -> ``user-tmp-test-space`` (as the Hub's cassettes show)."""
        return f"{self.namespace}-{self.name}".lower().replace("_", "-").replace(".", "-")

    @property
    def host(self) -> str:
        return f"https://{self.subdomain}.hf.space"


T = TypeVar("T")


def _field_copier(cls: type[T]) -> Callable[[T], T]:
    """A function copying every field of the slotted dataclass ``cls``, one plain assignment
    per field, generated from its fields: 0.4 µs for a Space, where a loop of ``getattr`` and
    ``setattr`` took 5."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    lines = [f"    clone.{f.name} = source.{f.name}" for f in fields]
    code = "def copy(source):\n    clone = new(cls)\n" + "\n".join(lines) + "\n    return clone\n"
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    exec(code, namespace)  # the field names are the class's own identifiers
    copier: Callable[[T], T] = namespace["copy"]
    return copier


_copy_space = _field_copier(Space)
