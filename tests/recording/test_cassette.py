"""The cassette file: format, round trip, and the errors for files that cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakehub.recording import (
    CassetteCorrupt,
    CassetteNotFound,
    CassetteVersionError,
    load,
    save,
)
from fakehub.recording.cassette import Cassette, Event, Interaction, Request, Response, parse

INTERACTION = {
    "at": 0.5,
    "duration": 0.01,
    "request": {
        "method": "POST",
        "path": "/api/spaces/fakeuser/demo/hardware",
        "query": {"expand": ["runtime", "sdk"]},
        "headers": {"content-type": "application/json"},
        "json": {"flavor": "t4-small"},
    },
    "response": {
        "status": 200,
        "headers": {"date": "Thu, 01 Jan 2026 00:00:00 GMT"},
        "json": {"stage": "BUILDING"},
    },
}


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    stream = Response(
        status=200,
        headers={"content-type": "text/event-stream", "x-hf-warning": ["a; one", "b; two"]},
        events=[
            Event(at=0.1, data={"data": "hello", "timestamp": "2026-01-01T00:00:01.000Z"}),
            Event(at=0.2, comment="keep-alive"),
            Event(at=0.3, event="metric", data={"cpu_usage_pct": 3}),
            Event(at=0.4, data_text="not json\nsecond line"),
        ],
        end="open",
    )
    logs = Interaction(
        at=1.0, request=Request(method="GET", path="/api/jobs/u/1/logs"), response=stream
    )
    original = Cassette(interactions=[Interaction.model_validate(INTERACTION), logs])
    path = tmp_path / "c.yaml"
    save(original, path)
    loaded = load(path)
    assert loaded == original
    text = path.read_text()
    assert text.startswith("# fakehub cassette (format version 1)")
    assert "version: 1\n" in text
    # the body is stored parsed, readable, not as an escaped string
    assert "    json:\n      flavor: t4-small\n" in text


def test_sse_frames_are_what_clients_parse() -> None:
    assert Event(data={"a": 1}).frame() == b'data: {"a":1}\n\n'
    assert Event(event="metric", data={"a": 1}).frame() == b'event: metric\ndata: {"a":1}\n\n'
    assert Event(comment="keep-alive").frame() == b": keep-alive\n\n"
    assert Event(data_text="x\ny").frame() == b"data: x\ndata: y\n\n"


def test_missing_file_says_how_to_record_it(tmp_path: Path) -> None:
    with pytest.raises(CassetteNotFound, match=r"cassette not found: .*nope\.yaml.*fakehub record"):
        load(tmp_path / "nope.yaml")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\ninteractions:\n  - at: [\n")
    with pytest.raises(CassetteCorrupt, match=r"bad\.yaml is not valid YAML at line 4"):
        load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just text", r"not a fakehub cassette: expected a mapping"),
        ("interactions: []", r"has no 'version'; this fakehub reads cassette version 1"),
        ("version: 2\ninteractions: []", r"has version 2; .* reads cassette version 1 only"),
        ("version: '1'\ninteractions: []", r"has version '1'"),
    ],
)
def test_not_a_cassette_or_wrong_version(text: str, message: str) -> None:
    error = CassetteVersionError if "version" in message else CassetteCorrupt
    with pytest.raises(error, match=message):
        parse(text, "x.yaml")


def test_malformed_interaction_names_its_place() -> None:
    text = (
        "version: 1\ninteractions:\n- request: {method: GET, path: /a}\n  response: {status: ok}\n"
    )
    with pytest.raises(CassetteCorrupt, match=r"interactions\[0\]\.response\.status: Input should"):
        parse(text, "x.yaml")


def test_unknown_key_and_two_bodies_are_refused() -> None:
    base = "version: 1\ninteractions:\n- request: {method: GET, path: /a}\n  response: "
    with pytest.raises(CassetteCorrupt, match=r"response\.stauts: Extra inputs"):
        parse(base + "{status: 200, stauts: 1}\n", "x.yaml")
    with pytest.raises(CassetteCorrupt, match=r"at most one body; found json, text"):
        parse(base + "{status: 200, json: {}, text: hi}\n", "x.yaml")
