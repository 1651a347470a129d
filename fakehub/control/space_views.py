"""Read models of Spaces for people (the dashboard), across namespaces, and the overview.

Every function takes the hub and reads it as one hub operation (lock held, due events
applied); :mod:`fakehub.wire.control.space_views` serialises what it found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from fakehub.control.pages import PageQuery, costs, matches, page_of
from fakehub.domain.errors import NotFound
from fakehub.domain.jobs.records import JobStage
from fakehub.domain.spaces.records import Space, SpaceStage
from fakehub.hub import FakeHub, StartingState
from fakehub.scenario.loader import LoadedScenario
from fakehub.wire.control.space_views import overview_json, space_detail_json, space_summary_json
from fakehub.wire.control.views import Overview, Page

SPACE_STAGES = tuple(stage.value for stage in SpaceStage)


def _billing_key(space: Space) -> str:
    return f"space:{space.repo_id}"


def list_spaces(hub: FakeHub, query: PageQuery) -> Page:
    with hub.reading() as now:
        spaces = sorted(
            (s for s in hub.space_store if matches(s.repo_id, s.stage, query)),
            key=lambda s: s.repo_id,
        )
        chosen = spaces[query.offset : query.offset + query.limit]
        totals = costs(hub.meter(), now, {_billing_key(s) for s in chosen})
        return page_of(
            chosen, len(spaces), query, lambda s: space_summary_json(s, totals[_billing_key(s)])
        )


def space_detail(hub: FakeHub, repo_id: str) -> dict[str, Any]:
    with hub.reading() as now:
        space = hub.space_store.get(repo_id)
        if space is None:
            raise NotFound(f"Space {repo_id} not found")
        key = _billing_key(space)
        charges = [c for c in hub.meter().charges() if c.resource == key]
        return space_detail_json(space, charges, now)


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
        meter = hub.meter()
        counts = {
            "scheduledJobs": len(hub.jobs.scheduled_records()),
            "faults": len(hub.faults.all()),
            "outages": len(hub.outages.declared()),
            "requests": len(hub.request_log),
        }
        return overview_json(
            now,
            hub.clock_state(),
            spaces_by_stage=_count(s.stage for s in hub.space_store),
            jobs_by_stage=_count(j.stage for j in hub.jobs.records().values()),
            counts=counts,
            scenario=_scenario_name(hub.scenario),
            total_micro_usd=meter.total_micro_usd(now),
            running_paid=len(meter.running_paid()),
        )
