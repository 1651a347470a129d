"""Build and run log lines a Space writes as it moves through its stages.

Logs are append-only history; ``build_log_start`` / ``run_log_start`` mark where the current
build / the current app begin, which is what the log routes replay. Every line is stamped with
the virtual time of the transition that wrote it, never later than the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from fakehub.domain.spaces.records import LogLine, Space
from fakehub.timefmt import to_datetime

LogKind = Literal["build", "run"]

DEFAULT_BUILD_LINES = (
    "--> RUN pip install --no-cache-dir -r requirements.txt\n",
    "DONE 4.2s\n",
    "--> Pushing image\n",
    "DONE 1.1s\n",
)
DEFAULT_BUILD_ERROR = "Build failed with exit code: 1"
DEFAULT_RUNTIME_ERROR = "Exit code: 1. Reason: the application crashed"
_RUN_BANNERS = {
    "gradio": ("* Running on local URL:  http://0.0.0.0:7860\n",),
    "streamlit": (
        "\n",
        "  You can now view your Streamlit app in your browser.\n",
        "\n",
        "  URL: http://0.0.0.0:8501\n",
    ),
    "docker": ("Listening on http://0.0.0.0:7860\n",),
}


def _human(at_ns: int) -> str:
    return to_datetime(at_ns).strftime("%Y-%m-%d %H:%M:%S")


def _line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _write(target: list[LogLine], lines: Iterable[str], at_ns: int) -> None:
    target.extend(LogLine(at_ns=at_ns, text=_line(text)) for text in lines)


def build_started(space: Space, at_ns: int, *, factory: bool = False) -> None:
    space.build_log_start = len(space.build_logs)
    sha = (space.sha or "0" * 40)[:7]
    lines = [f"===== Build Queued at {_human(at_ns)} / Commit SHA: {sha} =====\n", "\n"]
    if factory:
        lines.append("Factory reboot: building from scratch, without cache\n")
    _write(space.build_logs, lines, at_ns)


def build_finished(space: Space, at_ns: int, *, ok: bool) -> None:
    scripted = space.script.build_logs
    lines = list(scripted) if scripted is not None else list(DEFAULT_BUILD_LINES)
    if not ok and scripted is None:
        lines = [lines[0], "ERROR: process did not complete successfully: exit code: 1\n"]
    _write(space.build_logs, lines, at_ns)


def waiting_for_capacity(space: Space, flavor: str, at_ns: int, *, build: bool) -> None:
    """A flavor outage holds the Space back: said in the log of the stage it waits in."""
    target = space.build_logs if build else space.run_logs
    _write(target, [f"Waiting for {flavor} capacity: no {flavor} hardware is available yet"], at_ns)


def app_starting(space: Space, at_ns: int) -> None:
    space.run_log_start = len(space.run_logs)
    _write(space.run_logs, [f"===== Application Startup at {_human(at_ns)} =====\n", "\n"], at_ns)


def app_running(space: Space, at_ns: int) -> None:
    scripted = space.script.run_logs
    lines = scripted if scripted is not None else _RUN_BANNERS.get(space.sdk, ())
    _write(space.run_logs, lines, at_ns)


def app_crashed(space: Space, at_ns: int, message: str) -> None:
    _write(space.run_logs, [message], at_ns)


@dataclass(frozen=True)
class LogRead:
    lines: list[LogLine]
    #: absolute index in the log where the next read continues
    cursor: int
    #: nothing more will come on this stream
    finished: bool


def read(
    space: Space, kind: LogKind, cursor: int | None, *, tail: int | None, finished: bool
) -> LogRead:
    """The lines after ``cursor`` (``None``: from the start of the current build/app)."""
    log = space.build_logs if kind == "build" else space.run_logs
    if cursor is None:
        cursor = space.build_log_start if kind == "build" else space.run_log_start
        if tail is not None:
            cursor = max(cursor, len(log) - tail)
    return LogRead(lines=log[cursor:], cursor=len(log), finished=finished)
