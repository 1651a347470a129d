"""Scripted job outcomes: what a run does — how long it takes, what it prints, how it ends.

A job without a script runs the default outcome: it is scheduled (policy ``schedule``, 5 s),
prints the banner and ``+ <its command>``, runs (policy ``run``, 60 s), prints
``fakehub: exited with code 0`` and ends ``COMPLETED``. A script can change any of that per
attempt: exit code, final stage (``RUNNING`` = hang until cancelled or timed out, ``SCHEDULING``
= never get hardware), run and scheduling durations, log lines, the status message, metrics.
"""

from __future__ import annotations

import functools
import math
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from fakehub.clock import NS_PER_SECOND
from fakehub.timefmt import to_datetime

OutcomeStage = Literal["COMPLETED", "ERROR", "RUNNING", "SCHEDULING"]

#: Metric keys a script may override (``hf jobs stats`` needs every one of them).
METRIC_KEYS = frozenset(
    {
        "cpu_usage_pct",
        "cpu_millicores",
        "memory_used_bytes",
        "memory_total_bytes",
        "rx_bps",
        "tx_bps",
        "gpus",
        "replica",
    }
)


@dataclass(frozen=True)
class ScriptedLine:
    text: str
    #: seconds after the run started; ``None`` spreads the line evenly over the run
    at: float | None = None


@dataclass(frozen=True)
class JobOutcome:
    exit_code: int | None = None
    stage: OutcomeStage | None = None
    #: run duration in seconds (``None``: the job policy's ``run`` duration)
    seconds: float | None = None
    #: scheduling duration in seconds (``None``: the job policy's ``schedule`` duration)
    schedule_seconds: float | None = None
    #: replaces the default lines (the start banner is always printed)
    logs: tuple[ScriptedLine, ...] | None = None
    message: str | None = None
    metrics: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("seconds", "schedule_seconds"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise ValueError(f"{name}: must be a non-negative number of seconds, got {value}")
        if self.stage == "COMPLETED" and self.exit_code not in (None, 0):
            raise ValueError(f"stage COMPLETED needs exit code 0, got {self.exit_code}")
        if self.stage == "ERROR" and self.exit_code == 0:
            raise ValueError("stage ERROR needs a non-zero exit code")
        for line in self.logs or ():
            if "\n" in line.text or "\r" in line.text:
                raise ValueError(f"logs: one line per entry, got a line break in {line.text!r}")
            if line.at is not None and (not math.isfinite(line.at) or line.at < 0):
                raise ValueError(f"logs: 'at' must be a non-negative offset, got {line.at}")
        unknown = sorted(set(self.metrics) - METRIC_KEYS)
        if unknown:
            raise ValueError(
                f"metrics: unknown keys {unknown}; expected some of {sorted(METRIC_KEYS)}"
            )

    @classmethod
    def of(cls, logs: Sequence[str | tuple[float, str]] | None = None, **kwargs: Any) -> JobOutcome:
        """Build an outcome with plain log lines or ``(seconds, line)`` pairs."""
        lines = None
        if logs is not None:
            lines = tuple(
                ScriptedLine(item) if isinstance(item, str) else ScriptedLine(item[1], item[0])
                for item in logs
            )
        return cls(logs=lines, **kwargs)

    @property
    def final_stage(self) -> OutcomeStage:
        if self.stage is not None:
            return self.stage
        return "COMPLETED" if not self.exit_code else "ERROR"

    @property
    def finishes(self) -> bool:
        return self.final_stage in ("COMPLETED", "ERROR")

    @property
    def effective_exit_code(self) -> int:
        if self.exit_code is not None:
            return self.exit_code
        return 1 if self.final_stage == "ERROR" else 0

    def failure_message(self) -> str:
        return self.message or f"Job failed with exit code {self.effective_exit_code}"


@functools.lru_cache(maxsize=256)
def banner(at_ns: int) -> str:
    """The line every client hides (it drops ``data`` starting with ``===== Job started``)."""
    return f"===== Job started at {to_datetime(at_ns).strftime('%Y-%m-%d %H:%M:%S')} ====="


@functools.lru_cache(maxsize=64)
def _exit_line(code: int) -> str:
    """One string per exit code, shared by every job that exits with it."""
    return f"fakehub: exited with code {code}"


@functools.lru_cache(maxsize=128)
def _command_line(command: tuple[str, ...]) -> str:
    """The line echoing the command, one string per command (a schedule's runs share it)."""
    return f"+ {shlex.join(command)}"


def planned_lines(
    outcome: JobOutcome, command: Sequence[str], start_ns: int, run_seconds: float
) -> list[tuple[int, str]]:
    """Every line of one attempt with its time, sorted. Hanging runs space lines 1 s apart."""
    run_ns = round(run_seconds * NS_PER_SECOND)
    if outcome.logs is None:
        lines = [(start_ns, banner(start_ns)), (start_ns, _command_line(tuple(command)))]
        if outcome.finishes:
            code = outcome.effective_exit_code
            lines.append((start_ns + run_ns, _exit_line(code)))
        return lines
    lines = [(start_ns, banner(start_ns))]
    count = len(outcome.logs)
    for index, line in enumerate(outcome.logs):
        if line.at is not None:
            offset = round(line.at * NS_PER_SECOND)
        elif outcome.finishes:
            offset = run_ns * index // count
        else:
            offset = index * NS_PER_SECOND
        lines.append((start_ns + offset, line.text))
    return sorted(lines, key=lambda item: item[0])
