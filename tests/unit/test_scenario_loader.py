"""`fakehub scenario check` rejects broken files with messages that name the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fakehub.cli import main
from fakehub.scenario.loader import ScenarioError, parse
from fakehub.scenario.model import json_schema


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse(text, "s.yaml")
    assert str(info.value).startswith("s.yaml: ")
    return info.value.problems


def test_a_minimal_scenario_loads() -> None:
    loaded = parse("version: 1\nname: empty\n", "s.yaml")
    assert loaded.scenario.name == "empty"
    assert loaded.scenario.spaces == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\nseed: lots\n", "seed: Input should be a valid integer"),
        ("version: 1\nspaces: {}\n", "spaces: Input should be a valid list"),
        (
            "version: 1\nspaces:\n  - id: fakeuser/a\n    colour: red\n",
            "spaces[0].colour: unknown key",
        ),
        (
            "version: 1\nspaces:\n  - id: fakeuser/a\n    hardware: tpu-v9\n",
            "spaces[0].hardware: unknown Space hardware flavor 'tpu-v9'",
        ),
        (
            "version: 1\njobs:\n  - {namespace: fakeuser, command: [x], flavor: h900}\n",
            "jobs[0].flavor: unknown Jobs hardware flavor 'h900'",
        ),
        (
            "version: 1\njobs:\n  - {namespace: fakeuser, command: [x], timeout: forever}\n",
            "jobs[0].timeout",
        ),
        (
            "version: 1\ntimeline:\n  - {at: '2020-01-01T00:00:00Z', action: clear_faults}\n",
            "timeline[0].at: '2020-01-01T00:00:00Z' is before the scenario's clock.start",
        ),
        (
            "version: 1\ntimeline:\n  - {at: 5m, action: explode}\n",
            "timeline[0].action: Input should be",
        ),
        (
            "version: 1\nscheduled_jobs:\n  - {namespace: fakeuser, schedule: 'at noon', command: [x]}\n",
            "scheduled_jobs[0].schedule: not a cron expression",
        ),
        ("version: 1\nspaces:\n  - sdk: gradio\n", "spaces[0].id: required key is missing"),
        (
            "version: 1\nusers:\n  - {name: a}\norgs:\n  - {name: o, members: {b: admin}}\n",
            "orgs[0].members.b: no such user",
        ),
        (
            "version: 1\npolicies: {space: sometimes}\n",
            "policies.space: unknown progression policy",
        ),
    ],
)
def test_broken_files_name_the_key(text: str, expected: str) -> None:
    found = problems(text)
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 2\n", "version: expected 1, got 2"),
        ("name: no version\n", "version: expected 1, got None"),
        ("- a list\n", "expected a mapping"),
        ("version: [1\n", "not valid YAML"),
    ],
)
def test_wrong_version_and_corrupt_files(text: str, expected: str) -> None:
    assert any(expected in p for p in problems(text))


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        "version: 1\nspaces:\n  - {id: nobody/x, hardware: tpu}\n"
        "timeline:\n  - {at: soon, action: pause_space, args: {space: fakeuser/x}}\n"
    )
    assert len(found) == 3


def test_check_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("version: 1\nname: good\n# comments are fine\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nspaces:\n  - {id: fakeuser/a, hardware: nope}\n")
    assert main(["scenario", "check", str(good)]) == 0
    assert main(["scenario", "check", str(bad)]) == 1
    assert "spaces[0].hardware: unknown Space hardware flavor 'nope'" in capsys.readouterr().err
    assert main(["scenario", "check", str(tmp_path / "missing.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_schema_command_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == json_schema()
    assert "timeline" in schema["properties"]


def test_the_published_json_schema_is_up_to_date() -> None:
    from fakehub.scenario.loader import SHIPPED

    published = json.loads((SHIPPED / "scenario-v1.schema.json").read_text())
    assert published == json_schema(), "regenerate with: fakehub scenario schema"


def test_the_json_schema_accepts_every_shipped_scenario() -> None:
    import jsonschema
    import yaml

    from fakehub.scenario.loader import SHIPPED

    validator = jsonschema.Draft202012Validator(json_schema())
    for file in SHIPPED.glob("*.yaml"):
        errors = list(validator.iter_errors(yaml.safe_load(file.read_text())))
        assert not errors, (file.name, errors[0].message)
