"""The ``fakehub`` command."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fakehub import __version__
from fakehub.config import HubConfig
from fakehub.connections import DEFAULT_REQUEST_TIMEOUT
from fakehub.control import cli as control_cli
from fakehub.control.guard import CONTROL_TOKEN_ENV, token_from_env
from fakehub.hub import FakeHub
from fakehub.machines.policy import Policy
from fakehub.recording import cli as recording_cli
from fakehub.scenario import cli as scenario_cli
from fakehub.scenario.loader import LoadedScenario, load, resolve
from fakehub.scenario.model import ScenarioError
from fakehub.server import CannotBind, serve_forever
from fakehub.storage.blobs import DEFAULT_MAX_STORAGE_BYTES
from fakehub.store import DurableState, StateFile, StateFileError
from fakehub.store import cli as state_cli
from fakehub.timefmt import iso


def _policy(text: str) -> Policy:
    try:
        return Policy.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fakehub",
        description="An offline fake of the Hugging Face Hub's Spaces and Jobs APIs.",
    )
    parser.add_argument("--version", action="version", version=f"fakehub {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_serve(commands)
    _add_storage_options(commands.choices["serve"])
    scenario_cli.add_commands(commands)
    recording_cli.add_commands(commands)
    control_cli.add_commands(commands)
    state_cli.add_commands(commands)
    return parser


def _add_storage_options(serve: Any) -> None:
    serve.add_argument(
        "--max-storage-bytes",
        type=int,
        default=DEFAULT_MAX_STORAGE_BYTES,
        help="total size of uploaded LFS/Xet objects kept (default 2 GiB); past it: 413",
    )
    serve.add_argument(
        "--storage-dir",
        type=Path,
        default=None,
        help="keep uploaded objects in this directory (emptied on start) instead of memory",
    )


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the fake Hub on a loopback port")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8765, help="port (default 8765); 0 picks a free one"
    )
    serve.add_argument(
        "--clock",
        choices=["manual", "realtime"],
        default=None,
        help="manual: time moves only through /_fakehub/clock/advance; realtime (default): "
        "virtual time follows the wall clock times --speed",
    )
    serve.add_argument(
        "--speed",
        type=float,
        default=None,
        help="realtime clock speed (60: 1 s is 1 min; default 1); only with --clock realtime",
    )
    serve.add_argument(
        "--space-policy",
        type=_policy,
        default=Policy(),
        help="timed (default), per-poll(N) or instant",
    )
    serve.add_argument(
        "--job-policy",
        type=_policy,
        default=Policy(),
        help="timed (default), per-poll(N) or instant",
    )
    serve.add_argument("--seed", type=int, default=0, help="seed for ids (default 0)")
    serve.add_argument(
        "--scenario",
        metavar="NAME|PATH",
        help="start from a scenario (a shipped name, see 'fakehub scenario list', or a file); "
        "its clock, seed, policies and accounts replace the options above",
    )
    _add_guard_options(serve)


def _add_guard_options(serve: argparse.ArgumentParser) -> None:
    state_cli.add_serve_options(serve)
    serve.add_argument(
        "--control-token",
        metavar="TOKEN",
        default=token_from_env(),
        help="require 'Authorization: Bearer TOKEN' on the control API (/_fakehub/*); "
        f"default ${CONTROL_TOKEN_ENV}; without it the control API is open",
    )
    serve.add_argument(
        "--request-timeout",
        type=float,
        default=DEFAULT_REQUEST_TIMEOUT,
        metavar="SECONDS",
        help="drop a client that has not sent a complete request head within SECONDS, or "
        f"stays silent that long inside a body (default {DEFAULT_REQUEST_TIMEOUT:g})",
    )


def _option_problem(args: argparse.Namespace) -> str | None:
    """Why the serve options cannot be honoured as given (None when they can)."""
    if args.request_timeout <= 0:
        return "--request-timeout must be positive"
    if args.snapshot_every <= 0:
        return "--snapshot-every must be positive"
    if args.speed is not None and args.speed <= 0:
        return "--speed must be positive"
    if args.scenario is None and args.speed is not None and args.clock == "manual":
        return (
            "--speed only applies to --clock realtime; a manual clock moves only through "
            "the control API (fakehub control advance 10m)"
        )
    return None


def _config(args: argparse.Namespace) -> HubConfig:
    return HubConfig(
        seed=args.seed,
        clock_mode=args.clock or "realtime",
        clock_speed=args.speed if args.speed is not None else 1.0,
        space_policy=args.space_policy,
        job_policy=args.job_policy,
        max_storage_bytes=args.max_storage_bytes,
        storage_dir=args.storage_dir,
    )


def _serve(args: argparse.Namespace) -> int:
    problem = _option_problem(args)
    if problem is not None:
        print(f"fakehub: {problem}", file=sys.stderr)
        return 2
    hub = _hub_for(args, _config(args))
    if hub is None:
        return 2
    state = None
    if args.state is not None:
        if args.storage_dir is not None:
            print(
                "fakehub: --state keeps uploaded objects in the state file; --storage-dir is "
                "emptied at every start, so the two cannot be combined",
                file=sys.stderr,
            )
            return 2
        try:
            state = DurableState(
                StateFile.open(args.state),
                hub,
                snapshot_every=args.snapshot_every,
                background=True,
                freeze_gc=True,
            )
        except StateFileError as exc:
            print(f"fakehub: cannot use the state file {exc}", file=sys.stderr)
            return 2
    return _run_server(args, hub, state)


def _run_server(args: argparse.Namespace, hub: FakeHub, state: DurableState | None) -> int:
    def ready(url: str) -> None:
        print(banner(url, hub, guarded=args.control_token is not None), flush=True)
        if state is not None:
            kept = "new" if state.file.created else "resumed"
            print(f"\n  state: {state.file.path} ({kept})", flush=True)

    try:
        with contextlib.suppress(KeyboardInterrupt):
            serve_forever(
                hub,
                args.host,
                args.port,
                on_ready=ready,
                control_token=args.control_token,
                request_timeout=args.request_timeout,
                state=state,
            )
    except CannotBind as exc:
        print(f"fakehub: {exc}", file=sys.stderr)
        if state is not None:
            state.file.close()
        return 2
    return 0


def _hub_for(args: argparse.Namespace, config: HubConfig) -> FakeHub | None:
    """The hub to serve, or None (after saying why) when the scenario cannot be loaded."""
    try:
        scenario = load(resolve(args.scenario)) if args.scenario else None
        hub = FakeHub(config, scenario=scenario)
    except ScenarioError as exc:
        print(f"fakehub: cannot load the scenario:\n{exc}", file=sys.stderr)
        return None
    if scenario is not None and (args.clock is not None or args.speed is not None):
        print(
            "fakehub: the scenario sets the clock, so --clock/--speed are ignored "
            "(the banner shows the clock in force)",
            file=sys.stderr,
        )
    return hub


def _clock_line(hub: FakeHub) -> str:
    clock = hub.clock_state()
    text = f"  clock: {clock.mode}"
    if clock.mode == "realtime":
        text += f" x{clock.speed:g}"
    text += f", now {iso(clock.now_ns)}"
    if hub.scenario is not None:
        text += " (set by the scenario)"
    return text


def banner(url: str, hub: FakeHub, *, guarded: bool = False) -> str:
    accounts, policies = hub.accounts, hub.policies()
    lines = [f"fakehub {__version__} serving the Hub API at {url}", ""]
    for user in accounts.users.values():
        orgs = ", ".join(o.name for o in accounts.orgs_of(user.name)) or "-"
        lines.append(f"  user {user.name} (orgs: {orgs})")
        for token in accounts.tokens.values():
            if token.user == user.name:
                lines.append(f"    {token.role:<5} token  {token.value}")
    if hub.scenario is not None:
        loaded = hub.scenario
        name = loaded.scenario.name if isinstance(loaded, LoadedScenario) else None
        lines += ["", f"  scenario: {name or loaded.source}"]
    lines += [
        "",
        _clock_line(hub),
        f"  policies: spaces {policies.space.describe()}, jobs {policies.job.describe()}",
        "  control API: "
        + ("needs the control token (Authorization: Bearer ...)" if guarded else "open"),
        "",
        "Point your code at it:",
        f"  export HF_ENDPOINT={url}",
        f"  export HF_TOKEN={next(iter(accounts.tokens))}",
        "A Space's app host (https://<owner>-<name>.hf.space) answers by Host header:",
        f"  curl -H 'Host: <owner>-<name>.hf.space' {url}/",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "control":
        return control_cli.run(args)
    if args.command == "state":
        return state_cli.run(args)
    if args.command in ("record", "replay"):
        return recording_cli.run(args) or 0
    if args.command == "scenario":
        result = scenario_cli.run(args)
        if result is not None:
            return result
    return 2  # pragma: no cover - argparse enforces a command


if __name__ == "__main__":
    raise SystemExit(main())
