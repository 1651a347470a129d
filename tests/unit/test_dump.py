"""``dump_state``: a generic, canonical, redacted walk of whatever the hub holds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum

from fakehub.dump import _Walker, dump_state, redacted
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
