"""``fakehub state export FILE --state PATH`` and ``fakehub state import FILE --state PATH``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fakehub.store.durable import SNAPSHOT_EVERY
from fakehub.store.export import export_state, import_state
from fakehub.store.file import StateFileError


def add_serve_options(serve: argparse.ArgumentParser) -> None:
    """``fakehub serve --state PATH [--snapshot-every N]``."""
    serve.add_argument(
        "--state",
        metavar="PATH",
        help="keep the state in this SQLite file: every accepted write is on disk before it is "
        "answered, and a restart (even after kill -9) resumes from it. A new file starts from "
        "the options above; an existing one keeps its own",
    )
    serve.add_argument(
        "--snapshot-every",
        type=int,
        default=SNAPSHOT_EVERY,
        metavar="N",
        help=f"with --state: take a snapshot (in a forked process, while serving) every N "
        f"journaled writes, so a restart replays at most about N (default {SNAPSHOT_EVERY})",
    )


def add_commands(commands: Any) -> None:
    state = commands.add_parser(
        "state", help="export a --state file as JSON, or make one from such an export"
    )
    actions = state.add_subparsers(dest="state_command", required=True)
    export = actions.add_parser(
        "export",
        help="write FILE: the canonical dump and the state to restore (secret values emptied); "
        "the state file must not be in use",
    )
    export.add_argument("file", metavar="FILE")
    export.add_argument("--state", metavar="PATH", required=True, help="the state file to read")
    imported = actions.add_parser(
        "import", help="make a new state file from FILE (a 'fakehub state export')"
    )
    imported.add_argument("file", metavar="FILE")
    imported.add_argument("--state", metavar="PATH", required=True, help="the new state file")


def run(args: argparse.Namespace) -> int:
    try:
        if args.state_command == "export":
            counts = export_state(args.state, args.file)
            verb = f"exported {args.state} to {args.file}"
        else:
            counts = import_state(args.file, args.state)
            verb = f"imported {args.file} into {args.state}"
    except StateFileError as exc:
        print(f"fakehub: {exc}", file=sys.stderr)
        return 2
    held = ", ".join(f"{number} {what}" for what, number in counts.items())
    print(f"{verb}: {held}")
    if args.state_command == "import" and counts.get("secrets emptied"):
        print("secret values are never exported: set the Space and Job secrets again")
    return 0
