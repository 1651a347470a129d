"""Read models of Spaces for people (the dashboard), across namespaces, and the overview.

Every function takes the hub and runs as one hub operation (lock held, due events applied).
Secret values never appear: a Space's secrets are listed by key only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from fakehub.control.pages import PageQuery, costs, matches, page_of
from fakehub.domain.errors import NotFound
from fakehub.domain.jobs.records import JobStage
from fakehub.domain.spaces import machine as space_machine
from fakehub.domain.spaces.records import Space, SpaceStage
from fakehub.domain.spaces.tree import entry_size
from fakehub.hub import FakeHub, StartingState
from fakehub.scenario.loader import LoadedScenario
from fakehub.timefmt import iso
from fakehub.wire.control.views import Overview, Page, charges_json, history_json, usd

SPACE_STAGES = tuple(stage.value for stage in SpaceStage)


def _billing_key(space: Space) -> str:
    return f"space:{space.repo_id}"


def space_summary(space: Space, cost_micro: int) -> dict[str, Any]:
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


def list_spaces(hub: FakeHub, query: PageQuery) -> Page:
    with hub.reading() as now:
        spaces = sorted(
            (s for s in hub.space_store if matches(s.repo_id, s.stage, query)),
            key=lambda s: s.repo_id,
        )
        chosen = spaces[query.offset : query.offset + query.limit]
        totals = costs(hub.meter(), now, {_billing_key(s) for s in chosen})
        return page_of(
            chosen, len(spaces), query, lambda s: space_summary(s, totals[_billing_key(s)])
        )


def _tail(lines: Sequence[Any], start: int, limit: int = 200) -> list[dict[str, Any]]:
    return [{"at": iso(line.at_ns), "text": line.text} for line in lines[start:][-limit:]]


def space_detail(hub: FakeHub, repo_id: str) -> dict[str, Any]:
    with hub.reading() as now:
        space = hub.space_store.get(repo_id)
        if space is None:
            raise NotFound(f"Space {repo_id} not found")
        key = _billing_key(space)
        charges = [c for c in hub.meter().charges() if c.resource == key]
        body = space_summary(space, sum(c.cost_micro_usd(now) for c in charges))
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
            "charges": charges_json(charges, now),
            "buildLogs": _tail(space.build_logs, space.build_log_start),
            "runLogs": _tail(space.run_logs, space.run_log_start),
        }


# -- the whole picture ------------------------------------------------------------------------


def _count(stages: Iterable[SpaceStage | JobStage]) -> dict[str, int]:
    counts = Counter(stages)  # by member: reading ``.value`` 10,000 times costs more than this
    return dict(sorted((stage.value, n) for stage, n in counts.items()))


def _scenario_name(loaded: StartingState | None) -> str | None:
    if loaded is None:
        return None
    return loaded.scenario.name if isinstance(loaded, LoadedScenario) else loaded.source


def overview(hub: FakeHub) -> Overview:
    with hub.reading() as now:
        clock = hub.clock_state()
        jobs = hub.jobs.records().values()
        scenario = hub.scenario
        meter = hub.meter()
        return {
            "clock": {"now": iso(now), "nowNs": now, "mode": clock.mode, "speed": clock.speed},
            "spaces": {"byStage": _count(s.stage for s in hub.space_store)},
            "jobs": {"byStage": _count(j.stage for j in jobs)},
            "scheduledJobs": len(hub.jobs.scheduled_records()),
            "faults": len(hub.faults.all()),
            "outages": len(hub.outages.declared()),
            "requests": len(hub.request_log),
            "scenario": _scenario_name(scenario),
            "billing": {
                "totalUsd": usd(meter.total_micro_usd(now)),
                "runningPaid": len(meter.running_paid()),
            },
        }
