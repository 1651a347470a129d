"""Pieces of the dashboard's read models (``/_fakehub/overview``, ``spaces``, ``jobs``,
``scheduled-jobs``, ``scenarios``): pages, stage histories, charges, the overview."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from typing_extensions import TypedDict

from fakehub.domain.billing import Charge
from fakehub.domain.history import StageHistory
from fakehub.timefmt import iso

T = TypeVar("T")


class Page(TypedDict):
    total: int
    offset: int
    limit: int
    items: list[dict[str, Any]]


class Overview(TypedDict):
    clock: dict[str, Any]
    spaces: dict[str, Any]
    jobs: dict[str, Any]
    scheduledJobs: int
    faults: int
    outages: int
    requests: int
    scenario: str | None
    billing: dict[str, Any]


class Shipped(TypedDict):
    name: str
    description: str


class ShippedList(TypedDict):
    scenarios: list[Shipped]


def usd(micro: int) -> float:
    return micro / 1_000_000


def page_json(
    chosen: Iterable[T], total: int, offset: int, limit: int, item: Callable[[T], Any]
) -> Page:
    return {"total": total, "offset": offset, "limit": limit, "items": [item(x) for x in chosen]}


def shipped_json(shipped: Iterable[tuple[str, str]]) -> ShippedList:
    return {"scenarios": [{"name": n, "description": d} for n, d in shipped]}


def history_json(history: StageHistory) -> dict[str, Any]:
    return {
        "marks": [
            {
                "at": iso(mark.at_ns),
                "atNs": mark.at_ns,
                "stage": mark.stage,
                "requested": mark.requested,
                "current": mark.current,
            }
            for mark in history.marks
        ],
        "dropped": history.dropped,
    }


def charges_json(charges: Iterable[Charge], now_ns: int) -> list[dict[str, Any]]:
    return [
        {
            "flavor": c.flavor,
            "startNs": c.start_ns,
            "endNs": c.end_ns,
            "start": iso(c.start_ns),
            "end": None if c.end_ns is None else iso(c.end_ns),
            "costMicroUsd": c.cost_micro_usd(now_ns),
            "costUsd": usd(c.cost_micro_usd(now_ns)),
        }
        for c in sorted(charges, key=lambda c: c.start_ns)
    ]
