"""Flavor capacity outages (``/_fakehub/outages``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from typing_extensions import TypedDict

from fakehub.domain.outages.book import Outage
from fakehub.timefmt import iso


class OutageOut(TypedDict):
    flavor: str
    kind: Literal["space", "job", "both"]
    start: str
    end: str
    startNs: int
    endNs: int
    active: bool


class OutageList(TypedDict):
    outages: list[OutageOut]


def outage_json(outage: Outage, now_ns: int) -> OutageOut:
    return {
        "flavor": outage.flavor,
        "kind": outage.kind,
        "start": iso(outage.start_ns),
        "end": iso(outage.end_ns),
        "startNs": outage.start_ns,
        "endNs": outage.end_ns,
        "active": outage.active(now_ns),
    }


def outages_json(outages: Iterable[Outage], now_ns: int) -> OutageList:
    return {"outages": [outage_json(o, now_ns) for o in outages]}
