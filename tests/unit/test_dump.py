"""``dump_state``: a generic, canonical, redacted walk of whatever the hub holds."""

from __future__ import annotations

import copy
import gc
import json
import re
import subprocess
import sys
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fakehub.dump import _Walker, dump_state, redacted
from fakehub.dump.kinds import opens_scope
from fakehub.dump.pure import STRIKES_OUT
from fakehub.hub import FakeHub


class Stage(str, Enum):
    RUNNING = "RUNNING"


@dataclass(frozen=True)
class Secret:
    key: str
    value: str
    description: str | None


@dataclass
class Record:
    name: str
    stage: Stage = Stage.RUNNING
    files: dict[str, bytes] = field(default_factory=dict)
    secrets: dict[str, Secret] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    job_secrets: dict[str, str] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)
    hf_token: str | None = None


class Store:
    def __init__(self) -> None:
        self._records: dict[str, Record] = {}
        self.action = lambda at: None  # callables are not state


def walk(value: object) -> object:
    return _Walker().walk(value, "")


def test_records_walk_by_field_with_enums_bytes_and_sets_canonical() -> None:
    record = Record("demo", files={"app.py": b"print(1)"}, tags={"b", "a"})
    out = walk(record)
    assert isinstance(out, dict)
    assert out["stage"] == "RUNNING"
    assert out["files"]["app.py"]["size"] == 8
    assert len(out["files"]["app.py"]["sha256"]) == 64
    assert out["tags"] == ["a", "b"]


def test_secret_values_and_tokens_show_as_set_with_nothing_derived_from_them() -> None:
    record = Record(
        "demo",
        secrets={"API_KEY": Secret("API_KEY", "s3cr3t", "the key")},
        environment={"HF_TOKEN": "hf_abc", "MODE": "fast"},
        job_secrets={"DB": "hunter2"},
        hf_token="hf_fake_write",
    )
    out = walk(record)
    text = json.dumps(out)
    for secret in ("s3cr3t", "hf_abc", "hunter2", "hf_fake_write"):
        assert secret not in text
    assert out["secrets"]["API_KEY"] == {
        "key": "API_KEY",
        "value": redacted("s3cr3t"),
        "description": "the key",
    }
    assert out["environment"]["MODE"] == "fast"
    assert out["job_secrets"]["DB"] == "<set>"
    assert out["environment"]["HF_TOKEN"] == "<set>"
    assert redacted("a") == redacted("b") == "<set>"  # no digest: short secrets are guessable


def test_shared_mutable_records_are_dumped_once_then_referenced() -> None:
    store = Store()
    record = Record("demo")
    store._records["fakeuser/demo"] = record
    out = walk({"a_store": store, "b_same": store, "c_record": record})
    assert isinstance(out, dict)
    assert out["a_store"] == {"_records": {"fakeuser/demo": walk(record)}}
    assert out["b_same"] == {"$ref": "a_store"}
    assert out["c_record"] == {"$ref": "a_store._records.fakeuser/demo"}


def test_the_hub_dump_is_json_deterministic_and_has_no_token_strings() -> None:
    first, second = FakeHub().dump(), FakeHub().dump()
    assert first == second
    text = json.dumps(first)
    assert "hf_fake_write" not in text and "hf_fake_read" not in text
    assert first["ctx"]["clock"]["nowNs"] == FakeHub().now()
    assert {"user": "fakeuser", "role": "write", "name": "fakehub-write"} in first["ctx"][
        "accounts"
    ]["tokens"]
    assert dump_state(FakeHub()) == first


def test_the_dump_changes_when_state_does() -> None:
    hub = FakeHub()
    before = hub.dump()
    hub.advance(1)
    assert hub.dump() != before


@dataclass(frozen=True, slots=True)
class Line:
    at_ns: int
    text: str


@dataclass(frozen=True)
class Mixed:
    ratio: float
    hf_token: str | None
    secrets: dict[str, str]
    lines: tuple[Line, ...]
    stage: Stage = Stage.RUNNING


@dataclass
class Holder:
    record: Record
    items: list[object]
    labels: dict[str, object]
    mixed: Mixed | None = None


def test_pure_values_and_their_look_alikes_dump_the_same_as_walked_ones() -> None:
    """Lists, mappings and frozen records of leaves take a fast path (``fakehub.dump.pure``);
    anything in them the walker must see (a float, a secret, a mutable record, bytes) still
    dumps the general way, with the same output."""
    record = Record("demo")
    line = Line(1, "hi")
    mixed = Mixed(float("inf"), "hf_abc", {"DB": "x"}, (line, line), Stage.RUNNING)
    holder = Holder(
        record,
        items=[line, Line(2, "b"), "plain", 3, (line,), record, b"xy", 1.5, None],
        labels={"k": "v", "api_token": "hf_abc", "nested": {"b": [line], "a": 1}, "ok": line},
        mixed=mixed,
    )
    out = walk({"a": holder, "b": mixed, "c": [mixed, Mixed(0.5, None, {}, ())]})
    assert isinstance(out, dict)
    line_out = {"at_ns": 1, "text": "hi"}
    record_out = walk(record)
    mixed_out = {
        "ratio": "inf",
        "hf_token": "<set>",
        "secrets": {"DB": "<set>"},
        "lines": [line_out, line_out],
        "stage": "RUNNING",
    }
    assert out["a"] == {
        "record": record_out,
        "items": [
            line_out,
            {"at_ns": 2, "text": "b"},
            "plain",
            3,
            [line_out],
            {"$ref": "a.record"},
            {"size": 2, "sha256": out["a"]["items"][6]["sha256"]},
            1.5,
            None,
        ],
        "labels": {
            "api_token": "<set>",
            "k": "v",
            "nested": {"a": 1, "b": [line_out]},
            "ok": line_out,
        },
        "mixed": mixed_out,
    }
    assert out["b"] == mixed_out
    empty = {"ratio": 0.5, "hf_token": None, "secrets": {}, "lines": [], "stage": "RUNNING"}
    assert out["c"] == [mixed_out, empty]
    assert "hf_abc" not in json.dumps(out)


def test_the_collector_pause_leaves_a_frozen_process_frozen_and_others_unfrozen() -> None:
    """After a dump the collector is on again; objects a process froze (``serve --state``
    freezes its long-lived ones) stay frozen, and a process that froze nothing has nothing
    frozen. Run in a fresh interpreter: the collector is process-wide, and servers other tests
    run in threads of this one pause and freeze it too."""
    script = """
import gc
from fakehub.hub import FakeHub
hub = FakeHub()
assert gc.get_freeze_count() == 0 and gc.isenabled()
hub.dump()
assert gc.get_freeze_count() == 0 and gc.isenabled(), "an unfrozen process stays unfrozen"
gc.freeze()
frozen = gc.get_freeze_count()
hub.dump()
assert gc.get_freeze_count() >= frozen and gc.isenabled(), "a frozen process stays frozen"
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_a_dump_keeps_nothing_alive_after_it_returns() -> None:
    """Values the fast path refuses (bytes, mutable records) make it raise; nothing of a walk
    may outlive it through those exceptions (a shared exception instance once kept every
    walker, and every dump's output, alive through its growing traceback)."""
    values = {"r": [Record("x", files={"a": b"x"})], "m": {"f": b"y"}, "l": [b"z", Record("y")]}
    walk(values)  # plans compiled, caches warm
    before = len(gc.get_objects())
    walker = _Walker()
    walker.walk(values, "")
    gone = weakref.ref(walker)
    del walker
    for _ in range(5):
        walk(values)
    assert gone() is None
    assert len(gc.get_objects()) <= before + 16


@given(st.text(max_size=24))
@example("\u017fecret")  # a long s matches "s" case-blind: not ASCII, so the pattern decides
@example("API_ToKeN")
def test_which_names_open_a_secret_scope_matches_the_case_blind_pattern(name: str) -> None:
    pattern = re.compile("secret|token|password|credential", re.IGNORECASE)
    assert opens_scope(name) == (pattern.search(name) is not None)


def test_a_field_that_stops_being_tried_fast_dumps_the_same() -> None:
    """After a field held values the fast path refuses many times, it is walked directly:
    same output, mappings still sorted and secrets still redacted."""
    records = [Record(f"r{i}", files={"b": b"x", "a": b"y"}) for i in range(STRIKES_OUT + 8)]
    late = Record("late", environment={"HF_TOKEN": "hf_abc", "B": "2", "A": "1"})
    out = walk([*records, late])
    assert isinstance(out, list)
    assert list(out[-2]["files"]) == ["a", "b"]
    assert out[-1]["environment"] == {"A": "1", "B": "2", "HF_TOKEN": "<set>"}


def test_empty_pieces_of_a_dump_are_shared_and_cannot_be_changed() -> None:
    """Every dump shares one empty list and one empty mapping for empty fields: changing one
    raises (it would change every later dump); a copy of the dump is the reader's own."""
    out = walk([Mixed(0.5, None, {}, ()), Mixed(1.5, None, {}, ())])
    assert isinstance(out, list)
    first, second = out
    assert first["lines"] == [] and first["secrets"] == {}
    assert first["lines"] is second["lines"] and first["secrets"] is second["secrets"]
    with pytest.raises(TypeError, match="shared"):
        first["lines"].append(1)
    with pytest.raises(TypeError, match="shared"):
        first["secrets"]["k"] = "v"
    mine = copy.deepcopy(out)
    mine[0]["lines"].append(1)
    mine[0]["secrets"]["k"] = "v"
    assert walk(Mixed(0.5, None, {}, ()))["lines"] == []
    assert json.loads(json.dumps(out))[1] == {
        "ratio": 1.5,
        "hf_token": None,
        "secrets": {},
        "lines": [],
        "stage": "RUNNING",
    }


def test_records_converted_by_their_annotations_dump_as_walked_field_by_field() -> None:
    """The fast converters chosen from annotations (``fakehub.dump.shapes``) give the same
    output as the field-by-field walk, on a hub holding every kind of record: Spaces with files
    and secrets, jobs finished, running (a pending timeout), failed, with environment, secrets
    and labels, scheduled jobs, billing."""
    from starlette.testclient import TestClient

    from fakehub.app import create_app

    hub = FakeHub()
    auth = {"authorization": "Bearer hf_fake_write"}
    with TestClient(create_app(hub), base_url="http://fake.test", headers=auth) as client:
        client.post("/api/repos/create", json={"type": "space", "name": "demo", "sdk": "gradio"})
        client.post(
            "/api/spaces/fakeuser/demo/secrets", json={"key": "API_TOKEN", "value": "hf_abc"}
        )
        client.post("/api/spaces/fakeuser/demo/variables", json={"key": "MODE", "value": "x"})
        for index in range(3):
            spec = {
                "command": ["python", "-c", f"print({index})"],
                "dockerImage": "python:3.12",
                "flavor": "cpu-basic",
                "environment": {"BB": "2", "AA": "1", "MY_TOKEN": "t"},
                "secrets": {"HF_TOKEN": "hf_secret"} if index else {},
                "labels": {"team": "a", "z": "1"},
                "timeoutSeconds": 30 if index == 2 else None,  # armed: it comes before the end
            }
            assert client.post("/api/jobs/fakeuser", json=spec).status_code == 200
        scheduled = {"jobSpec": spec, "schedule": "@hourly"}
        assert client.post("/api/scheduled-jobs/fakeuser", json=scheduled).status_code == 200
        client.post("/_fakehub/clock/advance", json={"seconds": 7})
    with hub.holding() as held:
        fast = _Walker().walk(dict(held), "")
        walked = _Walker(shaped=False).walk(dict(held), "")
    assert fast == walked
    assert json.dumps(fast, sort_keys=False) == json.dumps(walked, sort_keys=False)
    assert "hf_secret" not in json.dumps(fast) and "hf_abc" not in json.dumps(fast)
    jobs = list(_records_with(fast, "timeout_handle"))
    assert len(jobs) >= 3 and any(job["timeout_handle"] for job in jobs)
    assert any(job["spec"]["secrets"] == {"HF_TOKEN": "<set>"} for job in jobs)


def _records_with(value: object, key: str) -> Iterator[dict[str, object]]:
    if isinstance(value, dict):
        if key in value:
            yield value
        for item in value.values():
            yield from _records_with(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _records_with(item, key)


@dataclass(frozen=True)
class Point:
    at_ns: int
    label: str | None = None


@dataclass
class Shaped:
    """A record the annotations describe (leaves, optional, nested, lists, mappings, a secret),
    whose values may break them: a test must find the same dump either way."""

    name: str
    stage: Stage
    count: int | None
    point: Point
    points: list[Point]
    ports: tuple[int, ...]
    labels: dict[str, str]
    api_token: str | None = None
    extra: Point | None = None


_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6) | st.floats() | st.binary(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.sampled_from(["a", "b", "my_token", "secret_x"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def _sometimes(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(strategy, strategy, strategy, _ANY)  # mostly as annotated


_POINTS = st.builds(Point, _sometimes(st.integers()), _sometimes(st.none() | st.text(max_size=4)))


@given(
    st.lists(
        st.builds(
            Shaped,
            name=_sometimes(st.text(max_size=5)),
            stage=_sometimes(st.just(Stage.RUNNING)),
            count=_sometimes(st.none() | st.integers()),
            point=_sometimes(_POINTS),
            points=_sometimes(st.lists(_POINTS, max_size=3)),
            ports=_sometimes(st.tuples(st.integers(), st.integers())),
            labels=_sometimes(st.dictionaries(st.sampled_from(["k", "z", "hf_token"]), st.text())),
            api_token=_sometimes(st.none() | st.text(max_size=4)),
            extra=_sometimes(st.none() | _POINTS),
        ),
        max_size=4,
    )
)
def test_annotation_shaped_records_dump_as_walked_whatever_they_hold(
    records: list[Shaped],
) -> None:
    shared = Point(1, "shared")
    values = {
        "records": records,
        "again": [Shaped("x", Stage.RUNNING, 1, shared, [shared], (), {})],
    }
    fast = _Walker().walk(values, "")
    walked = _Walker(shaped=False).walk(values, "")
    assert json.dumps(fast, default=repr) == json.dumps(walked, default=repr)
