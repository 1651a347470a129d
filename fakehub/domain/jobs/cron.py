"""Cron schedules for scheduled jobs, evaluated in UTC on the virtual clock with croniter.

Accepted syntax is the Hub's (its OpenAPI pattern): ``@annually``, ``@yearly``, ``@monthly``,
``@weekly``, ``@daily``, ``@hourly``, or 5 to 7 space-separated fields of ``*``, ``N``,
``a,b,c``, ``*/N``, ``N/M`` or ``N-M`` (no month or weekday names). Five fields are standard
cron (minute first); six put seconds first; seven add a year at the end (inferred, as the
Hub's Node cron libraries read them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from croniter import CroniterBadDateError, CroniterError, croniter

from fakehub.clock import NS_PER_SECOND
from fakehub.derived import DERIVED
from fakehub.domain.errors import BadRequest
from fakehub.domain.jobs import cron_fields
from fakehub.timefmt import to_datetime

SCHEDULE_PATTERN = re.compile(
    r"^(?:(@(annually|yearly|monthly|weekly|daily|hourly))|"
    r"((((\d+,)+\d+|((\*|\d+)(\/|-)\d+)|\d+|\*) ?){5,7}))$"
)


@dataclass(frozen=True)
class Cron:
    expression: str
    #: the expanded fields when the fast path covers this schedule (derived from ``expression``)
    fields: cron_fields.Fields | None = field(
        default=None, init=False, repr=False, compare=False, metadata=DERIVED
    )

    def __post_init__(self) -> None:
        try:
            fields = cron_fields.expand(self.expression)
        except (CroniterError, ValueError, KeyError):
            fields = None  # ``parse`` reports the error through croniter
        object.__setattr__(self, "fields", fields)

    @classmethod
    def parse(cls, expression: str, now_ns: int, where: str = "schedule") -> Cron:
        if not SCHEDULE_PATTERN.match(expression):
            raise BadRequest(
                f"{where}: invalid schedule {expression!r}; expected @hourly, @daily, @weekly, "
                "@monthly, @yearly/@annually, or a cron expression of 5 to 7 numeric fields "
                "such as '*/15 * * * *'"
            )
        cron = cls(expression)
        try:
            upcoming = cron._next(now_ns)
        except (CroniterError, ValueError, KeyError) as exc:
            raise BadRequest(f"{where}: invalid schedule {expression!r}: {exc}") from None
        if upcoming is None:
            raise BadRequest(f"{where}: schedule {expression!r} never occurs after now")
        return cron

    def next_after(self, ns: int) -> int | None:
        """The first occurrence strictly after ``ns`` (epoch ns, UTC); None if there is none."""
        try:
            return self._next(ns)
        except CroniterError:
            return None

    def _next(self, ns: int) -> int | None:
        if self.fields is not None:
            return cron_fields.next_after(self.fields, ns)
        seconds_first = len(self.expression.split()) >= 6
        it = croniter(self.expression, to_datetime(ns), second_at_beginning=seconds_first)
        try:
            nxt: datetime = it.get_next(datetime)
        except CroniterBadDateError:
            return None
        whole = int(nxt.timestamp())
        return whole * NS_PER_SECOND + nxt.microsecond * 1000
