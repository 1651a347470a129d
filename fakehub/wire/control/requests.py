"""The request log (``/_fakehub/requests``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from typing_extensions import TypedDict

from fakehub.faults.note import FaultNote
from fakehub.requestlog import LoggedRequest
from fakehub.timefmt import iso


class FaultApplied(TypedDict):
    id: str
    when: Literal["before", "after"]
    latency: float
    dropped: bool
    routeStatus: int | None


class LoggedRequestOut(TypedDict):
    seq: int
    at: str
    atNs: int
    method: str
    path: str
    query: str
    user: str | None
    role: Literal["read", "write"] | None
    auth: Literal["anonymous", "token", "invalid"]
    status: int
    requestId: str | None
    #: a Space's app host (``owner-name.hf.space``) the request was for; null for the Hub
    host: str | None
    fault: FaultApplied | None


class RequestsOut(TypedDict):
    requests: list[LoggedRequestOut]
    #: entries dropped from the front of the bounded log since the last reset or clear
    evicted: int


def fault_applied_json(note: FaultNote) -> FaultApplied:
    return {
        "id": note.id,
        "when": note.when,  # type: ignore[typeddict-item]  # "before" or "after" by the rules
        "latency": note.latency,
        "dropped": note.dropped,
        "routeStatus": note.route_status,
    }


def logged_request_json(entry: LoggedRequest) -> LoggedRequestOut:
    return {
        "seq": entry.seq,
        "at": iso(entry.at_ns),
        "atNs": entry.at_ns,
        "method": entry.method,
        "path": entry.path,
        "query": entry.query,
        "user": entry.user,
        "role": entry.role,  # type: ignore[typeddict-item]  # a token's role: read or write
        "auth": entry.auth,
        "status": entry.status,
        "requestId": entry.request_id,
        "host": entry.host,
        "fault": None if entry.fault is None else fault_applied_json(entry.fault),
    }


def requests_json(entries: Iterable[LoggedRequest], evicted: int) -> RequestsOut:
    return {"requests": [logged_request_json(e) for e in entries], "evicted": evicted}
