"""``fakehub scenario list | check | schema``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fakehub.scenario.loader import load, resolve, shipped_scenarios
from fakehub.scenario.model import ScenarioError, json_schema


def add_commands(commands: Any) -> None:
    """Attach the ``scenario`` command group to the top-level subparsers."""
    scenario = commands.add_parser("scenario", help="list, check and describe scenario files")
    actions = scenario.add_subparsers(dest="scenario_command", required=True)
    actions.add_parser("list", help="shipped scenarios with a one-line description")
    check = actions.add_parser("check", help="validate a scenario file (exit 1 on problems)")
    check.add_argument("path", nargs="+", help="scenario file(s) or shipped scenario names")
    actions.add_parser("schema", help="print the JSON Schema of the scenario format")
    from fakehub.recording import cli as recording_cli

    recording_cli.add_scenario_command(actions)


def run(args: argparse.Namespace) -> int | None:
    """Run a ``scenario`` sub-command; ``None`` if it is not one of ours."""
    command = args.scenario_command
    if command == "list":
        for name, description in shipped_scenarios():
            print(f"{name:<28} {description}")
        return 0
    if command == "check":
        return _check(args.path)
    if command == "from-recording":
        from fakehub.recording import cli as recording_cli

        return recording_cli.scenario_from_recording(args)
    if command == "schema":
        print(json.dumps(json_schema(), indent=2))
        return 0
    return None


def _check(paths: list[str]) -> int:
    failed = False
    for name in paths:
        try:
            loaded = load(resolve(name))
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            failed = True
            continue
        print(f"{loaded.source}: ok ({loaded.scenario.name or 'unnamed'})")
    return 1 if failed else 0
