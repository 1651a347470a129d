"""The request log: bounded, ordered, filterable, and never holding a secret."""

from __future__ import annotations

from typing import Any

import pytest

from fakehub.faults.note import FaultNote
from fakehub.requestlog import (
    ENTRY_OVERHEAD,
    MAX_FIELD_CHARS,
    REDACTED,
    TRUNCATED,
    RequestLog,
    redact_query,
)
from fakehub.wire.control.requests import logged_request_json


def record(log: RequestLog, **fields: Any) -> None:
    entry: dict[str, Any] = {
        "at_ns": 0,
        "method": "GET",
        "path": "/api/whoami-v2",
        "query": "",
        "user": "fakeuser",
        "role": "write",
        "auth": "token",
        "status": 200,
        "request_id": None,
    }
    log.record(**(entry | fields))


@pytest.fixture
def log() -> RequestLog:
    log = RequestLog()
    record(log)
    record(log, method="POST", path="/api/spaces/fakeuser/demo/restart", status=429,
           fault=FaultNote(id="fault-1", when="before"))  # fmt: skip
    record(log, path="/api/spaces/fakeuser/demo/runtime", status=200, user=None, role=None,
           auth="anonymous")  # fmt: skip
    record(log, path="/api/jobs/fakeuser", status=503, fault=FaultNote(id="fault-2", when="after"))
    return log


def seqs(entries: list[Any]) -> list[int]:
    return [e.seq for e in entries]


def test_entries_keep_arrival_order_with_sequence_numbers(log: RequestLog) -> None:
    assert seqs(log.find()) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"method": "post"}, [2]),
        ({"path": "/api/spaces/"}, [2, 3]),
        ({"path": "/api/spaces/*/runtime"}, [3]),
        ({"path": "/api/spaces/{namespace}/{name}/restart"}, [2]),
        ({"status": 429}, [2]),
        ({"status": "5xx"}, [4]),
        ({"status": "2xx"}, [1, 3]),
        ({"fault": "*"}, [2, 4]),
        ({"fault": "fault-2"}, [4]),
        ({"user": "fakeuser"}, [1, 2, 4]),
        ({"since": 2}, [3, 4]),
        ({"path": "/api/spaces/", "status": "2xx"}, [3]),
    ],
)
def test_filters(log: RequestLog, filters: dict[str, Any], expected: list[int]) -> None:
    assert seqs(log.find(**filters)) == expected


@pytest.mark.parametrize("status", ["42", "6xx", "abc", "4x"])
def test_malformed_status_filters_are_refused(log: RequestLog, status: str) -> None:
    with pytest.raises(ValueError, match="status"):
        log.find(status=status)


def test_the_log_is_bounded_and_counts_what_it_evicted() -> None:
    log = RequestLog(max_entries=3)
    for index in range(5):
        record(log, path=f"/api/{index}")
    assert [e.path for e in log.find()] == ["/api/2", "/api/3", "/api/4"]
    assert log.evicted == 2
    assert log.clear() == 3 and log.find() == []


def test_long_paths_and_queries_are_kept_truncated_with_a_marker() -> None:
    log = RequestLog()
    record(log, path="/api/spaces/" + "p" * 100_000, query="search=" + "q" * 100_000)
    entry = log.find()[0]
    assert entry.path.startswith("/api/spaces/ppp") and entry.query.startswith("search=qqq")
    cut = 100_012 - MAX_FIELD_CHARS
    assert entry.path == "/api/spaces/" + "p" * (MAX_FIELD_CHARS - 12) + f"{TRUNCATED} {cut} chars>"
    assert len(entry.query) < MAX_FIELD_CHARS + 40
    assert log.size == ENTRY_OVERHEAD + len(entry.path) + len(entry.query)


def test_the_log_is_bounded_in_bytes_too() -> None:
    log = RequestLog(max_entries=1_000, max_bytes=10 * (ENTRY_OVERHEAD + 3 * MAX_FIELD_CHARS))
    for index in range(100):
        record(log, path=f"/api/{index}/" + "x" * 5_000, query="q=" + "y" * 5_000)
    assert log.size <= log.max_bytes
    kept = log.find()
    assert 0 < len(kept) < 100 and log.evicted == 100 - len(kept)
    assert kept[-1].path.startswith("/api/99/")  # the newest stay
    assert log.clear() == len(kept) and log.size == 0


def test_wire_shape_carries_the_fault_and_its_later_drop(log: RequestLog) -> None:
    entry = log.find(fault="fault-1")[0]
    assert entry.fault is not None
    entry.fault.dropped = True  # the middleware sets it when the cut happens, after recording
    wire = logged_request_json(entry)
    assert wire["fault"] == {
        "id": "fault-1",
        "when": "before",
        "latency": 0.0,
        "dropped": True,
        "routeStatus": None,
    }
    assert wire["at"] == "1970-01-01T00:00:00.000Z"
    assert "authorization" not in str(wire).lower()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", ""),
        (b"limit=5&author=fakeuser", "limit=5&author=fakeuser"),
        (b"token=hf_fake_write&limit=5", f"token={REDACTED}&limit=5"),
        (
            b"access%5Ftoken=abc&auth=x&q=a%20b",
            f"access%5Ftoken={REDACTED}&auth={REDACTED}&q=a%20b",
        ),
        (b"flag&apiKey=1", f"flag&apiKey={REDACTED}"),
    ],
)
def test_queries_never_keep_credentials(raw: bytes, expected: str) -> None:
    assert redact_query(raw) == expected
