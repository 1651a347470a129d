"""Progression policies: when a resource takes its next automatic step.

* ``timed``: each step takes a duration of virtual time (defaults below, overridable per key).
* ``per-poll(n)``: a step is taken after every ``n`` reads of that resource, so a client's own
  polling loop (``wait_for_space``, ``wait_for_job``) finishes with no control of time at all.
* ``instant``: every step is taken at once, so a resource lands on its resting stage.

Time-based rules that are not progression (sleep after ``gcTimeout``, a job's timeout, cron
schedules) follow the clock whatever the policy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from fakehub.timefmt import parse_duration

PolicyKind = Literal["timed", "per-poll", "instant"]

#: Default virtual durations in seconds, by step key. Documented in the README.
DEFAULT_DURATIONS: Mapping[str, float] = {
    # Spaces
    "build": 30.0,  # BUILDING -> APP_STARTING (and RUNNING_BUILDING -> RUNNING_APP_STARTING)
    "start": 10.0,  # APP_STARTING -> RUNNING
    # Jobs
    "schedule": 5.0,  # SCHEDULING -> RUNNING
    "run": 60.0,  # RUNNING -> COMPLETED (the default outcome)
}

_PER_POLL = re.compile(r"^per[-_]poll(?:[(:=](\d+)\)?)?$")


@dataclass(frozen=True)
class Policy:
    kind: PolicyKind = "timed"
    polls: int = 1
    durations: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.polls < 1:
            raise ValueError("per-poll needs at least 1 poll per step")
        for key, value in self.durations.items():
            if value < 0:
                raise ValueError(f"duration {key!r} cannot be negative")

    def duration(self, key: str) -> float:
        if key in self.durations:
            return self.durations[key]
        return DEFAULT_DURATIONS.get(key, 0.0)

    @classmethod
    def parse(cls, text: str, durations: Mapping[str, str | float] | None = None) -> Policy:
        """``timed``, ``instant``, ``per-poll``, ``per-poll(3)`` or ``per-poll:3``."""
        parsed = {k: parse_duration(v) for k, v in (durations or {}).items()}
        value = text.strip().lower()
        if value in ("timed", "instant"):
            return cls(kind=value, durations=parsed)  # type: ignore[arg-type]
        match = _PER_POLL.match(value)
        if match:
            return cls(kind="per-poll", polls=int(match.group(1) or 1), durations=parsed)
        raise ValueError(
            f"unknown progression policy {text!r}: expected 'timed', 'instant' or 'per-poll(N)'"
        )

    def describe(self) -> str:
        return f"per-poll({self.polls})" if self.kind == "per-poll" else self.kind
