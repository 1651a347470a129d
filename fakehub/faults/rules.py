"""Fault rules: what a test asks the fake to do wrong, and which requests that applies to.

A rule is data (a pydantic model, as it arrives on ``POST /_fakehub/faults``); matching state
(how many times it applied, its burst window) lives in :mod:`fakehub.faults.book`.

Route patterns come in two forms:

* a **template** (contains ``{``): ``/api/spaces/{namespace}/{name}/runtime``, where ``{x}``
  matches one path segment and ``{x:path}`` matches the rest of the path;
* a **glob** otherwise: ``/api/spaces/*`` (``*`` matches anything, ``/`` included; ``?`` one
  character). ``*`` alone matches every route.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Literal

from pydantic import (
    ConfigDict,
    Field,
    JsonValue,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from fakehub.timefmt import parse_duration
from fakehub.wire.parse import WireModel

HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
CONTROL_PREFIX = "/_fakehub"
#: Latency is real time (the client really waits); more than this is a mistake, not a test.
MAX_LATENCY_SECONDS = 120.0

_TEMPLATE_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(path|str))?\}")


def compile_route(pattern: str) -> re.Pattern[str]:
    """A full-match regex for a route template or glob (see the module docstring)."""
    if "{" not in pattern:
        return re.compile(fnmatch.translate(pattern))
    parts: list[str] = []
    last = 0
    for match in _TEMPLATE_PARAM.finditer(pattern):
        parts.append(re.escape(pattern[last : match.start()]))
        name, kind = match.group(1), match.group(2)
        parts.append(f"(?P<{name}>.*)" if kind == "path" else f"(?P<{name}>[^/]+)")
        last = match.end()
    rest = pattern[last:]
    if "{" in rest or "}" in rest:
        raise ValueError(f"malformed route template {pattern!r}: use {{name}} or {{name:path}}")
    parts.append(re.escape(rest))
    try:
        return re.compile("".join(parts) + r"\Z")
    except re.error as exc:  # e.g. the same parameter name twice
        raise ValueError(f"malformed route template {pattern!r}: {exc}") from None


def _check_route(value: str) -> str:
    if value != "*" and not value.startswith(("/", "*")):
        raise ValueError(f"must be '*' or start with '/', got {value!r}")
    if value.startswith(CONTROL_PREFIX):
        raise ValueError("faults never apply to the control API (/_fakehub/*)")
    compile_route(value)
    return value


def _check_header(name: str, value: str) -> None:
    for text in (name, value):
        if "\n" in text or "\r" in text:
            raise ValueError(f"header {name!r}: names and values must be single-line")
        if not text.isascii():
            # Only ASCII is safe across HTTP stacks (some decode headers as UTF-8).
            raise ValueError(f"header {name!r}: names and values must be ASCII")
    if not name or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
        raise ValueError(f"header name {name!r} is not a valid HTTP token")


class Burst(WireModel):
    """Rate limit: let ``requests`` through per window of ``per``; the rest get the fault."""

    model_config = ConfigDict(extra="forbid")

    requests: StrictInt = Field(ge=0, le=1_000_000)
    per: StrictStr | StrictInt | StrictFloat
    #: ``real``: the window follows the wall clock, as the client's own Retry-After sleeps do;
    #: ``virtual``: it follows the hub's clock (advance it to open the window).
    clock: Literal["real", "virtual"] = "real"

    @field_validator("per")
    @classmethod
    def _per_is_a_duration(cls, value: str | float) -> str | float:
        if parse_duration(value) <= 0:
            raise ValueError("the window must be longer than zero")
        return value

    @property
    def window_seconds(self) -> float:
        return parse_duration(self.per)


class FaultRule(WireModel):
    """One fault, as posted to ``POST /_fakehub/faults`` (camelCase or snake_case keys)."""

    model_config = ConfigDict(extra="forbid")

    # -- which requests ---------------------------------------------------------------------
    method: StrictStr = "*"
    route: StrictStr = "*"
    namespace: StrictStr | None = None
    resource: StrictStr | None = None
    # -- how often --------------------------------------------------------------------------
    count: StrictInt | None = Field(default=None, ge=1)
    skip: StrictInt = Field(default=0, ge=0)
    probability: StrictFloat | StrictInt | None = Field(default=None, ge=0, le=1)
    burst: Burst | None = None
    # -- what happens -----------------------------------------------------------------------
    when: Literal["before", "after"] = "before"
    status: StrictInt | None = Field(default=None, ge=200, le=599)
    headers: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    body: JsonValue = None
    latency: StrictStr | StrictInt | StrictFloat | None = None
    drop_after_bytes: StrictInt | None = Field(default=None, ge=0, alias="dropAfterBytes")
    drop_after_events: StrictInt | None = Field(default=None, ge=0, alias="dropAfterEvents")
    label: StrictStr | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        method = value.upper()
        if method != "*" and method not in HTTP_METHODS:
            raise ValueError(f"unknown method {value!r}: expected '*' or one of {HTTP_METHODS}")
        return method

    @field_validator("route")
    @classmethod
    def _valid_route(cls, value: str) -> str:
        return _check_route(value)

    @field_validator("headers")
    @classmethod
    def _valid_headers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            _check_header(name, text)
        return value

    @field_validator("latency")
    @classmethod
    def _valid_latency(cls, value: str | float | None) -> str | float | None:
        if value is not None and parse_duration(value) > MAX_LATENCY_SECONDS:
            raise ValueError(f"at most {MAX_LATENCY_SECONDS:g} seconds (latency is real time)")
        return value

    @model_validator(mode="after")
    def _does_something(self) -> FaultRule:
        if self.status is None and self.latency is None and not self.drops:
            raise ValueError(
                "a fault needs at least one of status, latency, dropAfterBytes, dropAfterEvents"
            )
        if self.drop_after_bytes is not None and self.drop_after_events is not None:
            raise ValueError("set only one of dropAfterBytes and dropAfterEvents")
        if self.when == "before" and self.drops and self.status is None:
            raise ValueError(
                "a drop before the route runs needs a status: the connection is cut after the "
                "status line and headers (use when='after' to cut the route's own answer)"
            )
        return self

    @property
    def drops(self) -> bool:
        return self.drop_after_bytes is not None or self.drop_after_events is not None

    @property
    def latency_seconds(self) -> float:
        return 0.0 if self.latency is None else parse_duration(self.latency)
