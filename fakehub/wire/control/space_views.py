"""Spaces as the dashboard shows them (``/_fakehub/spaces``), and the overview. Secret values
never appear: a Space's secrets are listed by key only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fakehub.clock import ClockState
from fakehub.domain.billing import Charge
from fakehub.domain.spaces import machine as space_machine
from fakehub.domain.spaces.records import Space
from fakehub.domain.spaces.tree import entry_size
from fakehub.timefmt import iso
from fakehub.wire.control.views import Overview, charges_json, history_json, usd

#: most lines of each log a detail answer carries (the newest)
LOG_TAIL = 200


def space_summary_json(space: Space, cost_micro: int) -> dict[str, Any]:
    return {
        "id": space.repo_id,
        "sdk": space.sdk,
        "stage": space.stage.value,
        "hardware": {"requested": space.requested_hardware, "current": space.current_hardware},
        "sleepTime": space_machine.gc_timeout(
            space.sdk, space.requested_hardware, space.sleep_time
        ),
        "costMicroUsd": cost_micro,
        "costUsd": usd(cost_micro),
        "private": space.private,
    }


def _tail(lines: Sequence[Any], start: int) -> list[dict[str, Any]]:
    return [{"at": iso(line.at_ns), "text": line.text} for line in lines[start:][-LOG_TAIL:]]


def space_detail_json(space: Space, charges: Sequence[Charge], now_ns: int) -> dict[str, Any]:
    body = space_summary_json(space, sum(c.cost_micro_usd(now_ns) for c in charges))
    script = space.script
    return body | {
        "visibility": space.visibility,
        "errorMessage": space.error_message,
        "createdAt": iso(space.created_at_ns),
        "createdAtNs": space.created_at_ns,
        "storage": space.storage,
        "devMode": space.dev_mode,
        "variables": [
            {"key": v.key, "value": v.value, "description": v.description}
            for v in sorted(space.variables.values(), key=lambda v: v.key)
        ],
        "secretKeys": sorted(space.secrets),
        "files": [{"path": p, "size": entry_size(c)} for p, c in sorted(space.files.items())],
        "script": {"build": script.build, "crashAfter": script.crash_after},
        "history": history_json(space.history),
        "charges": charges_json(charges, now_ns),
        "buildLogs": _tail(space.build_logs, space.build_log_start),
        "runLogs": _tail(space.run_logs, space.run_log_start),
    }


def overview_json(
    now_ns: int,
    clock: ClockState,
    *,
    spaces_by_stage: dict[str, int],
    jobs_by_stage: dict[str, int],
    counts: dict[str, int],
    scenario: str | None,
    total_micro_usd: int,
    running_paid: int,
) -> Overview:
    """``clock`` gives the mode and speed; ``counts``: ``scheduledJobs``, ``faults``,
    ``outages``, ``requests``."""
    return {
        "clock": {"now": iso(now_ns), "nowNs": now_ns, "mode": clock.mode, "speed": clock.speed},
        "spaces": {"byStage": spaces_by_stage},
        "jobs": {"byStage": jobs_by_stage},
        "scheduledJobs": counts["scheduledJobs"],
        "faults": counts["faults"],
        "outages": counts["outages"],
        "requests": counts["requests"],
        "scenario": scenario,
        "billing": {"totalUsd": usd(total_micro_usd), "runningPaid": running_paid},
    }
