"""The fast cron path (``cron_fields``) finds the same next occurrence as croniter."""

from __future__ import annotations

from datetime import datetime

from croniter import CroniterBadDateError, croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.jobs import cron_fields
from fakehub.timefmt import to_datetime

#: 2020-01-01 .. 2040-01-01, ns
_TIMES = st.integers(1_577_836_800 * NS_PER_SECOND, 2_208_988_800 * NS_PER_SECOND)


def _field(low: int, high: int) -> st.SearchStrategy[str]:
    value = st.integers(low, high)
    return st.one_of(
        st.just("*"),
        value.map(str),
        st.lists(value, min_size=2, max_size=4, unique=True).map(lambda v: ",".join(map(str, v))),
        st.integers(1, max(1, high // 2)).map(lambda n: f"*/{n}"),
        st.tuples(value, value).map(lambda p: f"{min(p)}-{max(p)}"),
    )


_EXPRESSIONS = st.one_of(
    st.sampled_from(["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "0 0 29 2 *"]),
    st.tuples(_field(0, 59), _field(0, 23), _field(1, 31), _field(1, 12), _field(0, 7)).map(
        " ".join
    ),
)


def _croniter_next(expression: str, ns: int) -> int | None:
    try:
        nxt: datetime = croniter(expression, to_datetime(ns)).get_next(datetime)
    except CroniterBadDateError:
        return None
    return int(nxt.timestamp()) * NS_PER_SECOND + nxt.microsecond * 1000


@settings(max_examples=300, deadline=None)
@given(_EXPRESSIONS, _TIMES)
def test_fast_path_agrees_with_croniter(expression: str, ns: int) -> None:
    fields = cron_fields.expand(expression)
    if fields is None:  # day-of-month and day-of-week both restricted: croniter's business
        return
    assert cron_fields.next_after(fields, ns) == _croniter_next(expression, ns)
