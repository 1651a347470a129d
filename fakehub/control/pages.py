"""Pages and shared pieces of the read models behind the dashboard's control routes.

A list answers one page (``offset``, ``limit`` up to :data:`MAX_LIMIT`, ``stage``, ``q`` a
substring of the id) and costs only that page where it can: costs are summed for the page's
resources alone, in one pass over the billing periods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fakehub.domain.billing import BillingMeter
from fakehub.domain.errors import BadRequest
from fakehub.wire.control.views import Page, page_json

T = TypeVar("T")

#: Largest page a list answers (the dashboard asks for 50).
MAX_LIMIT = 500


@dataclass(frozen=True)
class PageQuery:
    offset: int = 0
    limit: int = 50
    stage: str | None = None
    #: a case-insensitive substring of the id (``ns/name`` or the job id)
    q: str | None = None


def page(items: Sequence[T], query: PageQuery, item: Callable[[T], Any]) -> Page:
    return page_of(items[query.offset : query.offset + query.limit], len(items), query, item)


def page_of(chosen: Iterable[T], total: int, query: PageQuery, item: Callable[[T], Any]) -> Page:
    """One page of ``chosen`` (of ``total``), each serialised by ``item``."""
    return page_json(chosen, total, query.offset, query.limit, item)


def matches(ident: str, stage: str, query: PageQuery) -> bool:
    """``stage`` is compared as given: callers pass enum members' values or the members."""
    if query.stage is not None and stage != query.stage:
        return False
    return query.q is None or query.q.lower() in ident.lower()


def costs(meter: BillingMeter, now_ns: int, keys: set[str]) -> dict[str, int]:
    """Cost so far of the resources in ``keys`` only (a page), in one pass over the charges."""
    totals = dict.fromkeys(keys, 0)
    for charge in meter.charges():
        if charge.resource in totals:
            totals[charge.resource] += charge.cost_micro_usd(now_ns)
    return totals


def parse_page(params: dict[str, str], stages: tuple[str, ...]) -> PageQuery:
    """``offset``, ``limit``, ``stage``, ``q`` from a query string; anything else is a 400."""
    unknown = sorted(set(params) - {"offset", "limit", "stage", "q"})
    if unknown:
        raise BadRequest(f"unknown parameter(s) {unknown}: expected offset, limit, stage, q")
    offset = _number(params, "offset", 0, 10**9)
    limit = _number(params, "limit", 50, MAX_LIMIT)
    stage = params.get("stage") or None
    if stage is not None and stage not in stages:
        raise BadRequest(f"stage: unknown stage {stage!r}: expected one of {', '.join(stages)}")
    return PageQuery(offset=offset, limit=limit, stage=stage, q=params.get("q") or None)


def _number(params: dict[str, str], name: str, default: int, highest: int) -> int:
    text = params.get(name)
    if text is None:
        return default
    if not text.isdigit() or len(text) > 10 or int(text) > highest:
        raise BadRequest(f"{name}: expected an integer from 0 to {highest}, got {text!r}")
    return int(text)
