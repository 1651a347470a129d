"""Fast next-occurrence for five-field cron schedules (the common case: ``@hourly``, ``*/15 ...``).

croniter parses its expression on every call and walks dates with ``relativedelta``: about a
millisecond per occurrence, which made a month of 100 hourly schedules take minutes. Here the
expression is expanded once (by croniter itself, so both read it alike) and the next occurrence
is found by walking whole days with ``bisect`` on the allowed hours and minutes.

Schedules this does not cover — seconds or year fields, and a day-of-month *and* a day-of-week
both restricted (cron's "either one" rule) — return ``None`` from :func:`expand` and stay with
croniter. ``tests/property/test_cron_fields.py`` checks both agree on random schedules.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from croniter import croniter

_NS_PER_MINUTE = 60 * 1_000_000_000
_MINUTES_PER_DAY = 24 * 60
_EPOCH = date(1970, 1, 1)
#: Longest search for a day that matches; croniter also gives up on schedules that never occur
#: (``0 0 31 2 *``). 50 years covers every leap-day schedule.
_MAX_DAYS = 50 * 366


@dataclass(frozen=True)
class Fields:
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    #: allowed days of the month / months / weekdays (0 = Sunday); ``None`` = any
    days: frozenset[int] | None
    months: frozenset[int] | None
    weekdays: frozenset[int] | None


def expand(expression: str) -> Fields | None:
    """The allowed values of each field, or None when croniter must evaluate this schedule."""
    expanded = croniter(expression).expanded
    if len(expanded) != 5:
        return None
    minutes, hours, days, months, weekdays = expanded
    if days != ["*"] and weekdays != ["*"]:
        return None

    def allowed(values: list[int | str], low: int, high: int) -> tuple[int, ...]:
        return tuple(range(low, high + 1)) if values == ["*"] else tuple(sorted(map(int, values)))

    def subset(values: list[int | str], modulo: int = 0) -> frozenset[int] | None:
        if values == ["*"]:
            return None
        return frozenset(int(v) % modulo if modulo else int(v) for v in values)

    return Fields(
        minutes=allowed(minutes, 0, 59),
        hours=allowed(hours, 0, 23),
        days=subset(days),
        months=subset(months),
        weekdays=subset(weekdays, 7),  # 7 is Sunday too
    )


def next_after(fields: Fields, ns: int) -> int | None:
    """The first occurrence strictly after ``ns`` (epoch ns, UTC), whole minutes."""
    minute = ns // _NS_PER_MINUTE + 1
    day_index, time_of_day = divmod(minute, _MINUTES_PER_DAY)
    for _ in range(_MAX_DAYS):
        if _day_matches(fields, _EPOCH + timedelta(days=day_index)):
            found = _first_time(fields, time_of_day)
            if found is not None:
                return (day_index * _MINUTES_PER_DAY + found) * _NS_PER_MINUTE
        day_index, time_of_day = day_index + 1, 0
    return None


def _day_matches(fields: Fields, day: date) -> bool:
    if fields.months is not None and day.month not in fields.months:
        return False
    if fields.days is not None and day.day not in fields.days:
        return False
    return fields.weekdays is None or (day.weekday() + 1) % 7 in fields.weekdays


def _first_time(fields: Fields, time_of_day: int) -> int | None:
    """The first allowed minute of the day at or after ``time_of_day``."""
    hour, minute = divmod(time_of_day, 60)
    index = bisect_left(fields.hours, hour)
    if index < len(fields.hours) and fields.hours[index] == hour:
        at = bisect_left(fields.minutes, minute)
        if at < len(fields.minutes):
            return hour * 60 + fields.minutes[at]
        index += 1
    if index < len(fields.hours):
        return fields.hours[index] * 60 + fields.minutes[0]
    return None
