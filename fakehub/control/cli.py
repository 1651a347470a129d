"""``fakehub control …``: the control API of a running server, from the command line.

Every sub-command is one :class:`fakehub.control.client.ControlClient` call; the answer is
printed as JSON on stdout. Exit status: 0 done, 1 the server refused (its ``error`` message on
stderr), 2 no fakehub server answered at the URL (or the command line was wrong).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fakehub.control.client import ControlClient, ControlError

DEFAULT_URL = "http://127.0.0.1:8765"  # where ``fakehub serve`` listens by default

Action = Callable[[ControlClient, argparse.Namespace], Any]


class UsageError(Exception):
    """A problem with what was asked, found before any request (exit 2)."""


def server_url(given: str | None, environ: dict[str, str] | None = None) -> str:
    """``--url``, else ``$HF_ENDPOINT``, else the ``fakehub serve`` default."""
    env = os.environ if environ is None else environ
    return given or env.get("HF_ENDPOINT") or DEFAULT_URL


# -- argument types -------------------------------------------------------------------------


def _repo_id(text: str) -> str:
    namespace, _, name = text.partition("/")
    if not namespace or not name or "/" in name:
        raise argparse.ArgumentTypeError(f"expected NAMESPACE/NAME, got {text!r}")
    return text


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc}): {text!r}") from None


def _json_object(text: str) -> dict[str, Any]:
    value = _json(text)
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected a JSON object, got {text!r}")
    return value


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE (e.g. build=2m), got {text!r}")
    return key, value


# -- the sub-commands -----------------------------------------------------------------------


def _scenario_load(client: ControlClient, args: argparse.Namespace) -> Any:
    # A file here is sent as text, so it loads on a server elsewhere; a name (or a path only
    # the server can see) is resolved by the server.
    local = Path(args.scenario)
    if not local.is_file():
        return client.load_scenario(name=args.scenario)
    try:
        text = local.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.scenario}: {exc}") from None
    return client.load_scenario(yaml=text)


def _policy(client: ControlClient, args: argparse.Namespace) -> Any:
    return client.set_policy(args.kind, args.policy, dict(args.duration or []))


def _space_outcome(client: ControlClient, args: argparse.Namespace) -> Any:
    return client.script_space(
        args.space,
        build=args.build,
        build_logs=args.build_log,
        run_logs=args.run_log,
        crash_after=args.crash_after,
        error_message=args.error_message,
    )


def _queue_job_outcome(client: ControlClient, args: argparse.Namespace) -> Any:
    outcomes = args.outcome if isinstance(args.outcome, list) else [args.outcome]
    return client.queue_job_outcomes(*outcomes)


def _requests(client: ControlClient, args: argparse.Namespace) -> Any:
    filters = {k: getattr(args, k) for k in ("method", "path", "status", "fault", "user")}
    return client.request_log(**filters, since=args.since)


ACTIONS: dict[str, Action] = {
    "health": lambda c, a: c.health(),
    "clock": lambda c, a: c.clock(),
    "advance": lambda c, a: c.advance(a.duration),
    "move-to": lambda c, a: c.move_to(a.to),
    "clock-mode": lambda c, a: c.set_clock_mode(a.mode, a.speed),
    "reset": lambda c, a: c.reset(),
    "policies": lambda c, a: c.policies(),
    "policy": _policy,
    "visit": lambda c, a: c.visit_space(a.space),
    "space-outcome": _space_outcome,
    "job-outcomes": lambda c, a: c.job_outcomes(),
    "queue-job-outcome": _queue_job_outcome,
    "clear-job-outcomes": lambda c, a: c.clear_job_outcomes(),
    "job-outcome": lambda c, a: c.script_job(a.job, a.outcome),
    "faults": lambda c, a: c.faults(),
    "add-fault": lambda c, a: c.add_fault(**a.rule),
    "clear-faults": lambda c, a: c.clear_faults(),
    "requests": _requests,
    "state": lambda c, a: c.state(),
    "billing": lambda c, a: c.request("GET", "billing"),
    "outages": lambda c, a: c.outages(),
    "add-outage": lambda c, a: c.add_outage(a.flavor, a.duration, kind=a.kind),
    "clear-outages": lambda c, a: c.clear_outages(),
    "scenario load": _scenario_load,
    "scenario show": lambda c, a: c.scenario(),
    "scenario unload": lambda c, a: c.unload_scenario(),
}


# -- the parser -----------------------------------------------------------------------------


def add_commands(commands: Any) -> None:
    """Attach the ``control`` command group to the top-level subparsers."""
    control = commands.add_parser(
        "control",
        help="drive a running fakehub server (clock, outcomes, faults, scenarios, ...)",
        description="The control API (/_fakehub/*) of a running fakehub server. Prints the "
        "answer as JSON; exit 1 when the server refuses, 2 when no server answers.",
    )
    control.add_argument("--url", help=f"the server (default: $HF_ENDPOINT, else {DEFAULT_URL})")
    control.add_argument(
        "--control-token",
        metavar="TOKEN",
        help="the server's control token, if it was started with one "
        "(default: $FAKEHUB_CONTROL_TOKEN)",
    )
    # --url is accepted after the sub-command too; SUPPRESS keeps the group's value otherwise.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--control-token", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = control.add_subparsers(dest="control_command", required=True, metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help, parents=[common])
        return parser

    _clock_commands(add)
    _space_and_job_commands(add)
    _fault_and_log_commands(add)
    scenario = add("scenario", "load, show or unload the server's scenario")
    actions = scenario.add_subparsers(dest="scenario_action", required=True)
    load = actions.add_parser("load", help="load a shipped scenario by name, or a scenario file")
    load.add_argument("scenario", metavar="NAME|PATH")
    actions.add_parser("show", help="the loaded scenario, if any")
    actions.add_parser("unload", help="unload it and go back to the plain starting state")


def _clock_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    add("health", "is the server up, and which version")
    add("clock", "the virtual clock")
    add("advance", "move time forward").add_argument("duration", help="e.g. 90, 10m, 2h")
    add("move-to", "jump to an instant (never backwards)").add_argument("to", metavar="ISO")
    mode = add("clock-mode", "manual, or realtime at --speed")
    mode.add_argument("mode", choices=["manual", "realtime"])
    mode.add_argument("--speed", type=float, help="realtime speed (60: 1 s is 1 min)")
    add("reset", "back to the starting state (the loaded scenario, if any)")
    add("policies", "the progression policies")
    policy = add("policy", "set the progression policy of Spaces or Jobs")
    policy.add_argument("kind", choices=["space", "job"])
    policy.add_argument("policy", help="timed, per-poll(N) or instant")
    policy.add_argument(
        "--duration", type=_key_value, action="append", metavar="KEY=VALUE", help="e.g. build=2m"
    )


def _space_and_job_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    add("visit", "a visitor opens the Space").add_argument(
        "space", type=_repo_id, metavar="NS/NAME"
    )
    outcome = add("space-outcome", "script how the Space's builds and runs turn out")
    outcome.add_argument("space", type=_repo_id, metavar="NS/NAME")
    outcome.add_argument("--build", choices=["ok", "error"], help="error: builds fail")
    outcome.add_argument("--build-log", action="append", metavar="LINE", help="repeatable")
    outcome.add_argument("--run-log", action="append", metavar="LINE", help="repeatable")
    outcome.add_argument("--crash-after", metavar="D", help="crash D after RUNNING (90, 10m)")
    outcome.add_argument("--error-message", metavar="M", help="the errorMessage of the error")
    add("job-outcomes", "outcomes queued for the next jobs")
    queue = add("queue-job-outcome", "queue an outcome (or a JSON list of them) for the next jobs")
    queue.add_argument("outcome", type=_json, metavar="JSON", help='e.g. {"exitCode": 1}')
    add("clear-job-outcomes", "forget the queued outcomes")
    job = add("job-outcome", "script one existing job")
    job.add_argument("job", type=_repo_id, metavar="NS/ID")
    job.add_argument("outcome", type=_json_object, metavar="JSON")
    add("billing", "cost per Space and Job, and the paid hardware still held")
    add("outages", "flavor capacity outages")
    outage = add("add-outage", "make a flavor unavailable for a while")
    outage.add_argument("flavor")
    outage.add_argument("duration", help="e.g. 10m")
    outage.add_argument("--kind", choices=["space", "job", "both"], default="both")
    add("clear-outages", "end every outage")


def _fault_and_log_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    add("faults", "fault rules with their counters")
    fault = add("add-fault", "add a fault rule")
    fault.add_argument("rule", type=_json_object, metavar="JSON", help='{"status": 503, ...}')
    add("clear-faults", "remove every fault rule")
    requests = add("requests", "the request log, filtered")
    requests.add_argument("--method")
    requests.add_argument("--path", help="a prefix, or a glob / route template")
    requests.add_argument("--status", help="429 or 4xx")
    requests.add_argument("--fault", help="a fault id, or * for every faulted request")
    requests.add_argument("--user")
    requests.add_argument("--since", type=int, help="only entries with a greater seq")
    add("state", "a canonical JSON snapshot of all state")


# -- running --------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    url = server_url(args.url)
    command = args.control_command
    if command == "scenario":
        command = f"scenario {args.scenario_action}"
    try:
        client = ControlClient(url, token=args.control_token)
    except ValueError as exc:
        return _fail(str(exc), 2)
    try:
        result = ACTIONS[command](client, args)
    except UsageError as exc:
        return _fail(str(exc), 2)
    except ControlError as exc:
        return _fail(f"{exc.message} (HTTP {exc.status})", 1)
    except (OSError, http.client.HTTPException) as exc:
        return _fail(f"cannot reach a fakehub server at {url}: {_reason(exc)}", 2)
    except ValueError:  # an answer that is not JSON: something else listens there
        return _fail(f"{url} did not answer like a fakehub server (is it one?)", 2)
    finally:
        client.close()
    print(json.dumps(result, indent=2))
    return 0


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _fail(message: str, status: int) -> int:
    print(f"fakehub control: {message}", file=sys.stderr)
    return status
