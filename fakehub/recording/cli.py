"""``fakehub record`` and ``fakehub replay``."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType
from typing import Any

from fakehub.recording.cassette import CassetteError
from fakehub.recording.server import serve_forever
from fakehub.recording.session import CassetteSession
from fakehub.server import CannotBind


def add_commands(commands: Any) -> None:
    """Attach ``record`` and ``replay`` to the top-level subparsers."""
    record = commands.add_parser(
        "record",
        help="a recording proxy: forward to an upstream Hub and write a cassette",
        description="Point HF_ENDPOINT at this proxy; it forwards every request to --upstream "
        "and writes the exchanges, scrubbed of credentials, to --out. Stop it with Ctrl-C.",
    )
    record.add_argument(
        "--upstream", required=True, help="the Hub to record (https://huggingface.co or a fakehub)"
    )
    record.add_argument("--out", required=True, help="the cassette file to write")
    record.add_argument(
        "--mode",
        choices=["all", "once", "new_episodes"],
        default="all",
        help="all (default): record anew, overwriting --out; once: replay --out if it exists, "
        "else record; new_episodes: replay what --out holds and record what it does not",
    )
    _common(record, port=8766)
    replay = commands.add_parser(
        "replay",
        help="serve a cassette with no network",
        description="Answer every request from the cassette; a request it does not hold gets "
        "a 501 naming the closest recorded requests.",
    )
    replay.add_argument("file", help="the cassette to replay")
    _common(replay, port=8765)


def _common(parser: argparse.ArgumentParser, port: int) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=port, help=f"port (default {port}); 0 picks a free one"
    )
    parser.add_argument(
        "--scrub",
        action="append",
        default=[],
        metavar="PATTERN",
        help="a regular expression whose matches never reach the cassette (repeatable)",
    )


def run(args: argparse.Namespace) -> int | None:
    """Run ``record`` or ``replay``; ``None`` if the command is not one of ours."""
    if args.command == "record":
        return _serve(args.out, args.mode, args.upstream, args)
    if args.command == "replay":
        return _serve(args.file, "none", None, args)
    return None


def _serve(path: str, mode: str, upstream: str | None, args: argparse.Namespace) -> int:
    try:
        session = CassetteSession(path, mode, upstream, tuple(args.scrub))
    except (CassetteError, ValueError) as exc:
        print(f"fakehub {args.command}: {exc}", file=sys.stderr)
        return 2

    def ready(url: str) -> None:
        if session.recording:
            print(f"fakehub recording {upstream} into {path}, serving at {url}", flush=True)
        else:
            print(f"fakehub replaying {path} at {url} (no network)", flush=True)
        print(f"  export HF_ENDPOINT={url}", flush=True)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        serve_forever(session, args.host, args.port, on_ready=ready)
    except (RuntimeError, CannotBind) as exc:
        print(f"fakehub {args.command}: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    if session.recorder is not None:
        count = len(session.recorder.interactions())
        print(f"fakehub record: wrote {count} interactions to {path}", flush=True)
    for miss in session.misses:
        print(miss, file=sys.stderr)
    return 1 if session.misses else 0


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def add_scenario_command(actions: Any) -> None:
    """``fakehub scenario from-recording FILE`` (attached to the ``scenario`` group)."""
    convert = actions.add_parser(
        "from-recording",
        help="turn a cassette into an editable scenario (initial state plus timeline)",
    )
    convert.add_argument("file", help="the cassette")
    convert.add_argument("--out", help="write the scenario here (default: standard output)")


def scenario_from_recording(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pydantic import ValidationError

    from fakehub.recording.cassette import load
    from fakehub.recording.to_scenario import convert, dumps

    try:
        cassette = load(args.file)
        text = dumps(convert(cassette, name=Path(args.file).stem), args.file)
    except CassetteError as exc:
        print(f"fakehub scenario from-recording: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a recording the scenario format cannot express
        print(f"fakehub scenario from-recording: {args.file}: {exc}", file=sys.stderr)
        return 1
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
