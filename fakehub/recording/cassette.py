"""The cassette: a versioned YAML file of recorded Hub interactions, in order.

One entry per interaction. Bodies are stored in the most readable form that round-trips:
``json:`` (parsed), ``text:`` or ``base64:``; a Server-Sent-Events response is ``events:``, one
item per event. ``${endpoint}`` stands for the base URL the client used, so a cassette does not
depend on the port it was recorded on. Secrets are scrubbed before anything is written
(:mod:`fakehub.recording.scrub`).
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fakehub import __version__

VERSION = 1
#: stands for the base URL of the server the client talks to (recorder or replayer)
ENDPOINT = "${endpoint}"
HEADER = (
    "# fakehub cassette (format version 1): recorded Hub interactions, in order.\n"
    "# Secrets are scrubbed; ${endpoint} stands for the server's base URL.\n"
    "# Replay with `fakehub replay FILE` or @pytest.mark.fake_hub(replay=FILE).\n"
)

Headers = dict[str, str | list[str]]


class CassetteError(Exception):
    """A cassette cannot be used; the message names the file and what is wrong."""


class CassetteNotFound(CassetteError):
    pass


class CassetteCorrupt(CassetteError):
    pass


class CassetteVersionError(CassetteError):
    pass


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_by_name=True)


class _Body(_Model):
    """A message body: at most one of ``json``, ``text``, ``base64`` (and ``events``)."""

    json_: Any = Field(default=None, alias="json")
    text: str | None = None
    base64: str | None = None

    @model_validator(mode="after")
    def _one_body(self) -> _Body:
        present: list[str] = [
            name for name in ("json_", "text", "base64") if name in self.model_fields_set
        ]
        if "events" in self.model_fields_set:
            present.append("events")
        if len(present) > 1:
            kinds = ", ".join(p.rstrip("_") for p in present)
            raise ValueError(f"a message has at most one body; found {kinds}")
        return self

    def body_bytes(self) -> bytes:
        """The body as it goes on the wire (JSON compact, like the Hub and fakehub send it)."""
        if "json_" in self.model_fields_set:
            return json.dumps(self.json_, separators=(",", ":"), ensure_ascii=False).encode()
        if self.text is not None:
            return self.text.encode()
        if self.base64 is not None:
            return base64.b64decode(self.base64)
        return b""


class Request(_Body):
    method: str
    path: str
    query: Headers = Field(default_factory=dict)
    headers: Headers = Field(default_factory=dict)

    def query_pairs(self) -> list[tuple[str, str]]:
        return [(k, v) for k, values in self.query.items() for v in _as_list(values)]


class Event(_Model):
    """One SSE event: ``data`` (parsed JSON) or ``data_text``, or a ``comment`` line."""

    at: float = 0.0
    event: str | None = None
    id: str | None = None
    data: Any = None
    data_text: str | None = None
    comment: str | None = None

    def frame(self) -> bytes:
        if self.comment is not None:
            return f": {self.comment}\n\n".encode()
        lines = []
        if self.event is not None:
            lines.append(f"event: {self.event}")
        if self.id is not None:
            lines.append(f"id: {self.id}")
        if "data" in self.model_fields_set:
            payload = json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)
            lines.append(f"data: {payload}")
        elif self.data_text is not None:
            lines.extend(f"data: {line}" for line in self.data_text.split("\n"))
        return ("\n".join(lines) + "\n\n").encode()


class Response(_Body):
    status: int
    headers: Headers = Field(default_factory=dict)
    events: list[Event] | None = None
    #: "open": the stream was still open when the client left (replay holds it open too)
    end: Literal["closed", "open"] = "closed"

    @property
    def is_stream(self) -> bool:
        return self.events is not None


class Interaction(_Model):
    #: seconds from the start of the recording to the request
    at: float = 0.0
    #: seconds until the response was complete
    duration: float = 0.0
    request: Request
    response: Response


class Cassette(_Model):
    version: int = VERSION
    fakehub: str = __version__
    interactions: list[Interaction] = Field(default_factory=list)


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


#: the order keys are written in: what a reader looks for first
_KEY_ORDER = {
    name: i
    for i, name in enumerate(
        [
            "at",
            "duration",
            "request",
            "response",
            "method",
            "path",
            "query",
            "status",
            "headers",
            "json",
            "text",
            "base64",
            "events",
            "end",
        ]
    )
}


def to_data(model: BaseModel) -> Any:
    """Plain data for YAML: only what was set, empty ``query``/``headers`` left out."""
    data = model.model_dump(by_alias=True, exclude_unset=True, mode="json")
    return _ordered(data) if isinstance(model, Interaction) else data


def _ordered(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    keys = sorted(value, key=lambda k: _KEY_ORDER.get(k, len(_KEY_ORDER)))
    return {
        k: _ordered(value[k]) if k in ("request", "response") else value[k]
        for k in keys
        if not (k in ("query", "headers") and value[k] == {})
    }


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks: a re-recording diffs line by line."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not any(c in value for c in "\r\t") and value == value.rstrip(" "):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dumps(cassette: Cassette) -> str:
    data = {
        "version": cassette.version,
        "fakehub": cassette.fakehub,
        "interactions": [to_data(i) for i in cassette.interactions],
    }
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return HEADER + body


def save(cassette: Cassette, path: str | os.PathLike[str]) -> None:
    """Write atomically: a reader (or a crash) never sees half a cassette."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(dumps(cassette))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: str | os.PathLike[str]) -> Cassette:
    """Read and validate a cassette; every failure is a :class:`CassetteError` naming the file."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CassetteNotFound(
            f"cassette not found: {source} (record it with `fakehub record --upstream URL "
            f"--out {source}`, or run pytest with --fakehub-record-mode=once)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteCorrupt(f"cannot read cassette {source}: {exc}") from None
    return parse(text, str(source))


def parse(text: str, name: str = "<cassette>") -> Cassette:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise CassetteCorrupt(f"cassette {name} is not valid YAML{line}: {problem}") from None
    if not isinstance(data, dict):
        raise CassetteCorrupt(
            f"cassette {name} is not a fakehub cassette: expected a mapping with 'version' "
            f"and 'interactions', got {type(data).__name__}"
        )
    if "version" not in data:
        raise CassetteVersionError(
            f"cassette {name} has no 'version'; this fakehub reads cassette version {VERSION}"
        )
    if data["version"] != VERSION:
        raise CassetteVersionError(
            f"cassette {name} has version {data['version']!r}; this fakehub ({__version__}) "
            f"reads cassette version {VERSION} only: re-record it"
        )
    try:
        return Cassette.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_loc(err['loc'])}: {err['msg']}" for err in exc.errors()[:5])
        raise CassetteCorrupt(f"cassette {name} is malformed: {problems}") from None


def _loc(parts: tuple[str | int, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"
