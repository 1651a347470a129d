"""``hub.outages``: declare a flavor unavailable for a while (fakehub only, no Hub route).

While an outage covers a flavor, Spaces that need it wait in their building (or starting)
stage and Jobs on it wait in SCHEDULING; they resume by themselves when it ends, or at once
when the outages are cleared. See :mod:`fakehub.domain.outages.book`.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.catalogue import JOB_FLAVORS, SPACE_FLAVORS, job_flavor, space_flavor
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest
from fakehub.domain.outages.book import OUTAGE_KINDS, Outage, OutageKind
from fakehub.timefmt import MAX_DURATION_SECONDS, iso

#: The last instant a Hub timestamp can show.
_LAST_NS = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()) * NS_PER_SECOND


def _known(flavor: str, kind: str) -> bool:
    in_spaces = space_flavor(flavor) is not None
    in_jobs = job_flavor(flavor) is not None
    return {"space": in_spaces, "job": in_jobs}.get(kind, in_spaces or in_jobs)


def _names(kind: str) -> list[str]:
    flavors = {"space": SPACE_FLAVORS, "job": JOB_FLAVORS}.get(kind, SPACE_FLAVORS + JOB_FLAVORS)
    return list(dict.fromkeys(f.name for f in flavors))


class OutageService:
    def __init__(self, ctx: HubContext) -> None:
        self.ctx = ctx

    @operation
    def add(
        self,
        flavor: str,
        *,
        duration_s: float,
        start_ns: int | None = None,
        kind: OutageKind | str = "both",
    ) -> Outage:
        """``flavor`` is unavailable to ``kind`` ("space", "job" or "both") for ``duration_s``
        seconds from ``start_ns`` (default: now; never in the past)."""
        if kind not in OUTAGE_KINDS:
            raise BadRequest(f"kind: expected 'space', 'job' or 'both', got {kind!r}")
        if not isinstance(flavor, str) or not _known(flavor, kind):
            raise BadRequest(
                f"flavor: unknown flavor {flavor!r} for kind {kind!r}; "
                f"expected one of {', '.join(_names(kind))}"
            )
        if (
            isinstance(duration_s, bool)
            or not isinstance(duration_s, int | float)
            or not math.isfinite(duration_s)
            or not 0 < duration_s <= MAX_DURATION_SECONDS
        ):
            raise BadRequest(
                f"for: expected a positive duration of at most 100 years, got {duration_s!r}"
            )
        now = self.ctx.clock.now()
        start = now if start_ns is None else start_ns
        if start < now:
            raise BadRequest(f"start: {iso(start)} is in the past (now is {iso(now)})")
        end = start + round(duration_s * NS_PER_SECOND)
        if end > _LAST_NS:
            raise BadRequest(f"for: the outage would end after {iso(_LAST_NS)}")
        outage = Outage(flavor, start, end, kind)  # type: ignore[arg-type]  # checked above
        self.ctx.outages.outages.append(outage)
        return outage

    @operation
    def declared(self) -> list[Outage]:
        """Every outage declared since the last reset or clear, ended ones included."""
        return list(self.ctx.outages.outages)

    @operation
    def active(self) -> list[Outage]:
        now = self.ctx.clock.now()
        return [o for o in self.ctx.outages.outages if o.active(now)]

    @operation
    def clear(self) -> int:
        """Forget every outage; whatever waited for capacity proceeds from now."""
        return self.ctx.outages.clear(self.ctx.clock.now())
