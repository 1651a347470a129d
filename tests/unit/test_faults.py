"""Fault rules, the ordered book and its counters, the drop cutter and a fault's own answer."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from fakehub.clock import NS_PER_SECOND
from fakehub.faults import FaultBook, FaultRule, RequestInfo
from fakehub.faults.book import Hit
from fakehub.faults.rules import compile_route
from fakehub.hub import FakeHub
from fakehub.middleware.faults import _Cutter, fault_answer
from fakehub.wire.control.faults import fault_rule_json

RUNTIME = RequestInfo(
    "GET",
    "/api/spaces/fakeuser/demo/runtime",
    namespace="fakeuser",
    resources=frozenset({"fakeuser/demo"}),
)


def rule(**fields: object) -> FaultRule:
    return FaultRule.model_validate(fields)


class FakeMonotonic:
    def __init__(self) -> None:
        self.ns = 0

    def __call__(self) -> int:
        return self.ns


# -- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "at least one of status, latency"),
        ({"status": 99}, "greater than or equal to 200"),
        ({"status": 503, "staus": 1}, "staus"),
        ({"status": 503, "method": "FETCH"}, "unknown method 'FETCH'"),
        ({"status": 503, "route": "api/whoami-v2"}, "start with '/'"),
        ({"status": 503, "route": "/_fakehub/health"}, "control API"),
        ({"status": 503, "route": "/api/{name"}, "malformed route template"),
        ({"status": 503, "route": "/api/{a}/{a}"}, "malformed route template"),
        ({"status": 503, "count": 0}, "greater than or equal to 1"),
        ({"status": 503, "probability": 1.5}, "less than or equal to 1"),
        ({"latency": "forever"}, "not a duration"),
        ({"latency": 500}, "at most 120 seconds"),
        ({"dropAfterBytes": 3}, "needs a status"),
        ({"status": 200, "dropAfterBytes": 3, "dropAfterEvents": 1}, "only one of"),
        ({"status": 429, "headers": {"Retry-After": "1\r\nX: y"}}, "single-line"),
        ({"status": 429, "headers": {"bad name": "1"}}, "valid HTTP token"),
        ({"status": 429, "burst": {"requests": 1, "per": 0}}, "longer than zero"),
        ({"status": 429, "burst": {"requests": 1, "per": "1s", "clock": "wall"}}, "clock"),
    ],
)
def test_bad_rules_are_refused_naming_what_is_wrong(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        rule(**fields)


def test_rules_accept_camel_and_snake_case_and_echo_camel_case() -> None:
    snake = rule(when="after", drop_after_events=2)
    camel = rule(when="after", dropAfterEvents=2)
    assert snake == camel
    assert fault_rule_json(camel) == {"when": "after", "dropAfterEvents": 2}
    assert rule(method="get", status=503).method == "GET"


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*", "/api/whoami-v2", True),
        ("/api/spaces/*", "/api/spaces/fakeuser/demo/runtime", True),
        ("/api/spaces/*/runtime", "/api/spaces/fakeuser/demo/runtime", True),
        ("/api/jobs/*", "/api/spaces/x", False),
        ("/api/spaces/{namespace}/{name}/runtime", "/api/spaces/fakeuser/demo/runtime", True),
        ("/api/spaces/{namespace}/{name}/runtime", "/api/spaces/fakeuser/runtime", False),
        ("/api/spaces/{namespace}/{name}", "/api/spaces/fakeuser/demo/runtime", False),
        ("/api/spaces/{namespace}/{rest:path}", "/api/spaces/fakeuser/demo/runtime", True),
        ("/api/spaces/a.b", "/api/spaces/aXb", False),
    ],
)
def test_route_patterns(pattern: str, path: str, matches: bool) -> None:
    assert bool(compile_route(pattern).match(path)) is matches


# -- the book -------------------------------------------------------------------------------


def test_first_rule_that_applies_wins_and_counts_expire() -> None:
    book = FaultBook()
    first = book.add(rule(route="/api/spaces/*", status=503, count=1))
    second = book.add(rule(status=500))
    hits = [book.match(RUNTIME, 0) for _ in range(3)]
    assert [h.fault.id if h else None for h in hits] == [first.id, second.id, second.id]
    assert (first.applied, first.remaining, first.active) == (1, 0, False)
    assert (second.applied, second.remaining, second.active) == (2, None, True)


@pytest.mark.parametrize(
    ("fields", "applies"),
    [
        ({"method": "POST"}, False),
        ({"method": "GET"}, True),
        ({"namespace": "fakeorg"}, False),
        ({"namespace": "fakeuser"}, True),
        ({"resource": "fakeuser/other"}, False),
        ({"resource": "fakeuser/demo"}, True),
        ({"route": "/api/jobs/*"}, False),
    ],
)
def test_rules_match_method_route_namespace_and_resource(
    fields: dict[str, object], applies: bool
) -> None:
    book = FaultBook()
    fault = book.add(rule(status=503, **fields))
    assert (book.match(RUNTIME, 0) is not None) is applies
    assert fault.matched == (1 if applies else 0)


def test_skip_lets_the_first_matches_through() -> None:
    book = FaultBook()
    fault = book.add(rule(status=500, skip=2, count=1))
    results = [book.match(RUNTIME, 0) is not None for _ in range(4)]
    assert results == [False, False, True, False]
    assert (fault.matched, fault.applied) == (3, 1)


def test_probability_draws_are_seeded_and_replay_exactly() -> None:
    def run(seed: int) -> list[bool]:
        book = FaultBook(seed=seed)
        book.add(rule(status=503, probability=0.5))
        return [book.match(RUNTIME, 0) is not None for _ in range(64)]

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert 10 < sum(run(7)) < 54  # it really is a coin, not always or never


def test_probability_zero_never_and_one_always() -> None:
    book = FaultBook()
    never = book.add(rule(status=503, probability=0))
    always = book.add(rule(status=500, probability=1))
    hits = [book.match(RUNTIME, 0) for _ in range(5)]
    assert all(h is not None and h.fault is always for h in hits)
    assert (never.matched, never.applied) == (5, 0)


def test_burst_on_real_time_limits_then_reopens_with_retry_after() -> None:
    clock = FakeMonotonic()
    book = FaultBook(real_ns=clock)
    book.add(rule(status=429, burst={"requests": 2, "per": "10s"}))
    assert book.match(RUNTIME, 0) is None
    clock.ns += 3 * NS_PER_SECOND
    assert book.match(RUNTIME, 0) is None
    limited = book.match(RUNTIME, 0)
    assert limited is not None and limited.retry_after == 7  # the first slot frees at 10 s
    clock.ns += 7 * NS_PER_SECOND
    assert book.match(RUNTIME, 0) is None  # the first request left the window
    limited = book.match(RUNTIME, 0)
    assert limited is not None and limited.retry_after == 3


def test_burst_on_virtual_time_ignores_the_wall_clock() -> None:
    clock = FakeMonotonic()
    book = FaultBook(real_ns=clock)
    book.add(rule(status=429, burst={"requests": 1, "per": "1m", "clock": "virtual"}))
    assert book.match(RUNTIME, 0) is None
    clock.ns += 3600 * NS_PER_SECOND
    assert book.match(RUNTIME, 0) is not None
    assert book.match(RUNTIME, 60 * NS_PER_SECOND) is None


def test_remove_and_clear() -> None:
    book = FaultBook()
    a = book.add(rule(status=500))
    b = book.add(rule(status=503))
    assert book.remove(a.id) and not book.remove(a.id)
    assert [f.id for f in book.all()] == [b.id]
    assert book.clear() == 1 and book.all() == []
    assert book.add(rule(status=500)).id == "fault-3"  # ids are never reused


def test_hub_reset_clears_faults_and_the_log() -> None:
    hub = FakeHub()
    hub.faults.add(rule(status=500))
    hub.request_log.record(
        at_ns=0, method="GET", path="/", query="", user=None, role=None, auth="anonymous",
        status=200, request_id=None,
    )  # fmt: skip
    hub.reset()
    assert hub.faults.all() == [] and len(hub.request_log) == 0


# -- the cutter and the answer ------------------------------------------------------------


def test_cutter_by_bytes_spans_chunks() -> None:
    cutter = _Cutter(rule(when="after", dropAfterBytes=5))
    assert cutter.take(b"abc") == (b"abc", False)
    assert cutter.take(b"defg") == (b"de", True)


def test_cutter_by_events_counts_blank_lines_and_skips_comments() -> None:
    cutter = _Cutter(rule(when="after", dropAfterEvents=2))
    assert cutter.take(b"data: 1\n\n: keep-alive\n\nda") == (
        b"data: 1\n\n: keep-alive\n\nda",
        False,
    )
    assert cutter.take(b"ta: 2\n\ndata: 3\n\n") == (b"ta: 2\n\n", True)
    assert _Cutter(rule(when="after", dropAfterEvents=0)).take(b"data: 1\n\n") == (b"", True)


def test_fault_answer_defaults_to_the_hub_error_format() -> None:
    fault = FaultBook().add(rule(status=503))
    status, headers, body = fault_answer(Hit(fault))
    assert status == 503
    assert json.loads(body) == {"error": f"fakehub fault {fault.id}: injected HTTP 503"}
    assert (b"content-type", b"application/json") in headers
    assert (b"content-length", str(len(body)).encode()) in headers


def test_fault_answer_adds_rate_limit_headers_for_bursts_unless_given() -> None:
    book = FaultBook()
    burst = book.add(rule(status=429, burst={"requests": 0, "per": "5s"}))
    hit = book.match(RUNTIME, 0)
    assert hit is not None and hit.fault is burst and hit.retry_after == 5
    _, headers, _ = fault_answer(hit)
    assert (b"retry-after", b"5") in headers
    assert (b"ratelimit", b'"api";r=0;t=5') in headers
    given = book.add(rule(status=429, headers={"Retry-After": "0"}))
    _, headers, _ = fault_answer(Hit(given, retry_after=9))
    assert (b"retry-after", b"0") in headers


def test_fault_answer_sends_a_text_body_raw_when_the_content_type_says_so() -> None:
    fault = FaultBook().add(
        rule(status=502, body="<html>Bad gateway</html>", headers={"Content-Type": "text/html"})
    )
    _, headers, body = fault_answer(Hit(fault))
    assert body == b"<html>Bad gateway</html>"
    assert (b"content-type", b"text/html") in headers
