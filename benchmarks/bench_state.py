"""Benchmarks for ``fakehub serve --state`` (not a test; run ``python benchmarks/bench_state.py``).

1. Per-write overhead: ``POST /api/spaces/{id}/hardware`` (what ``request_space_hardware``
   sends) over loopback HTTP against ``fakehub serve`` (in memory), ``fakehub serve --state``
   (full durability: WAL, ``synchronous=FULL``, one commit per write) and a trivial Starlette
   app answering a constant, each in a process of its own (so no two share a GIL), in
   alternating blocks; medians. Beside them, on the same disk, what one durable commit costs
   alone: an SQLite commit as the state file makes it, and a 200-byte ``write`` + ``fdatasync``.
2. Snapshots while serving, with 10k Spaces and 100k Jobs: the pause of the server when a
   snapshot is forked, the journaled writes' latency while the child pickles, the time until
   the snapshot is in the file; beside them the time the same snapshot takes in the server.
3. Restart time with 10k Spaces and 100k Jobs: ``fakehub serve --state`` as a subprocess, from
   launch to the banner (the socket is bound only after the restore), for a file with only a
   snapshot and for one with a journal tail of ``TAIL`` writes to replay; beside it the start of
   a plain ``fakehub serve`` (interpreter, imports), which every start pays.
4. File size per Space and per Job (snapshot) and per journaled write.
"""

from __future__ import annotations

import asyncio
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.domain.jobs.records import JobSpec
from fakehub.domain.spaces.options import SpaceOptions
from fakehub.middleware.journal import JournalEntry
from fakehub.store import DurableState, StateFile
from fakehub.store.background import BackgroundSnapshot

N_CALLS = int(os.environ.get("BENCH_CALLS", "600"))
BLOCKS = 6
SPACES = int(os.environ.get("BENCH_SPACES", "10000"))
JOBS = int(os.environ.get("BENCH_JOBS", "100000"))
TAIL = int(os.environ.get("BENCH_TAIL", "2000"))
WRITE = {"authorization": "Bearer hf_fake_write"}
HERE = Path(__file__).resolve().parent
FLAVORS = ("t4-small", "cpu-upgrade")


def _trivial() -> Starlette:
    async def hardware(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"stage": "RUNNING", "hardware": {"requested": "t4-small"}})

    return Starlette(routes=[Route("/api/spaces/{a}/{b}/hardware", hardware, methods=["POST"])])


def _block(url: str, calls: int) -> list[float]:
    times = []
    with httpx.Client(base_url=url, headers=WRITE) as client:
        for i in range(calls):
            started = time.perf_counter()
            response = client.post(
                "/api/spaces/fakeuser/demo/hardware", json={"flavor": FLAVORS[i % 2]}
            )
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
    return times


#: ``--state`` as ``fakehub serve`` runs it, in a process of its own, timing each commit inside
_TIMED_STATE_SERVER = """
import os, signal, statistics, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from loopback import Served
from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.store import DurableState, StateFile
hub = FakeHub(HubConfig(clock_mode="manual"))
state = DurableState(StateFile.open(sys.argv[2]), hub)
commits, append = [], state.file.append
def timed(entry):
    started = time.perf_counter()
    append(entry)
    commits.append(time.perf_counter() - started)
state.file.append = timed
print(Served(create_app(hub, journal=state.hooks())).url, flush=True)
def report(*_):
    print(statistics.median(commits[1:]), flush=True)
    os._exit(0)
signal.signal(signal.SIGTERM, report)
while True:
    time.sleep(1)
"""

_TRIVIAL_SERVER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from bench_state import _trivial
from loopback import Served
print(Served(_trivial()).url, flush=True)
time.sleep(10**6)
"""


def _spawn(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    """A server in a process of its own; its URL (read from what it prints)."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if found:
            return process, found.group(0)
    raise RuntimeError(f"{args} printed no URL")


def per_write(folder: Path) -> dict[str, float]:
    serve = [sys.executable, "-m", "fakehub", "serve", "--port", "0", "--clock", "manual"]
    servers = {
        "trivial Starlette": _spawn([sys.executable, "-c", _TRIVIAL_SERVER, str(HERE)]),
        "in memory": _spawn(serve),
        "--state": _spawn([*serve, "--state", str(folder / "write.db")]),
        "--state, commits timed": _spawn(
            [sys.executable, "-c", _TIMED_STATE_SERVER, str(HERE), str(folder / "timed.db")]
        ),
    }
    for name in ("in memory", "--state", "--state, commits timed"):
        created = httpx.post(
            servers[name][1] + "/api/repos/create", headers=WRITE,
            json={"type": "space", "name": "demo", "sdk": "gradio"},
        )  # fmt: skip
        assert created.status_code == 200, created.text
    times: dict[str, list[float]] = {name: [] for name in servers}
    alone: dict[str, list[float]] = {}
    probe = _CommitProbe(folder)
    for _ in range(BLOCKS):
        for name, (_, url) in servers.items():
            times[name] += _block(url, N_CALLS // BLOCKS)
        for name, values in probe.block(N_CALLS // BLOCKS).items():
            alone.setdefault(name, []).extend(values)
    probe.close()
    for process, _ in servers.values():
        process.terminate()
        process.wait()
    timed = servers["--state, commits timed"][0].stdout
    inside = float(timed.read().strip()) if timed is not None else 0.0
    medians = {name: statistics.median(values) * 1e6 for name, values in {**times, **alone}.items()}
    return {**medians, "commit inside the --state server": inside * 1e6}


class _CommitProbe:
    """One durable commit on this disk, alone: as the state file makes it, and a raw fdatasync
    (the disk's flush time moves with the other machines' I/O: measured in the same blocks)."""

    def __init__(self, folder: Path) -> None:
        self.file = StateFile.open(folder / "commit.db")
        self.raw = os.open(folder / "raw", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        self.entry = JournalEntry(
            0, "POST", "/api/spaces/fakeuser/demo/hardware", b"", (), b"x" * 22, 200
        )

    def block(self, calls: int) -> dict[str, list[float]]:
        commits, syncs = [], []
        for _ in range(calls):
            started = time.perf_counter()
            self.file.append(self.entry)
            commits.append(time.perf_counter() - started)
            started = time.perf_counter()
            os.write(self.raw, b"x" * 200)
            os.fdatasync(self.raw)
            syncs.append(time.perf_counter() - started)
        return {"SQLite commit alone": commits, "write + fdatasync alone": syncs}

    def close(self) -> None:
        os.close(self.raw)
        self.file.close()


def _populate(hub: FakeHub) -> None:
    actor = hub.authenticate("Bearer hf_fake_write")
    for i in range(SPACES):
        hub.repos.create(
            actor, name=f"space-{i}", organization=None, sdk="gradio", visibility=None,
            options=SpaceOptions(), endpoint="http://127.0.0.1",
        )  # fmt: skip
    spec = JobSpec("cpu-basic", ("python", "-c", "print(1)"), "python:3.12")
    for i in range(JOBS):
        hub.jobs.run(actor, "fakeuser", spec)
        if i % 1000 == 999:
            hub.advance(60)  # most jobs finish, as in a long-lived shared fake


def _start(args: list[str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "serve", "--port", "0", "--clock", "manual", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        if "Point your code" in line:
            break
    elapsed = time.perf_counter() - started
    process.terminate()
    process.wait()
    return elapsed


def restart(folder: Path) -> dict[str, float]:
    hub = FakeHub(HubConfig())
    t0 = time.perf_counter()
    _populate(hub)
    built = time.perf_counter() - t0
    path = folder / "big.db"
    t0 = time.perf_counter()
    state = DurableState(StateFile.open(path), hub)  # a new file: one snapshot
    fold = time.perf_counter() - t0
    app = create_app(hub, journal=state.hooks())
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://fake.test", headers=WRITE) as client:
        write = _tail_writer(client)
        write(0)  # warm
        pause = time.perf_counter()
        taking = BackgroundSnapshot(hub, state.file, freeze_gc=True)  # as the TAIL-th write would
        pause = time.perf_counter() - pause
        started = time.perf_counter()
        during, after = [], []
        for i in range(1, TAIL):
            (during if not taking.done else after).append(write(i))
        taking.wait()
        background = time.perf_counter() - started
        assert taking.installed, taking.error
    state.file.close()  # as a kill would: the tail stays in the journal
    tail_write = statistics.median(during + after)
    snapshot_bytes, journal_bytes, entries = _contents(path)
    wall, cpu = _restore_in_process(path)
    plain = statistics.median(_start([]) for _ in range(3))
    with_tail = _start(["--state", str(path)])  # replays the tail, then folds on stop
    snapshot_only = statistics.median(_start(["--state", str(path)]) for _ in range(3))
    return {
        "build_s": built,
        "fold_in_the_server_s": fold,
        "background_fork_pause_s": pause,
        "background_snapshot_until_stored_s": background,
        "writes_during_background_snapshot": len(during),
        "write_during_snapshot_median_ms": statistics.median(during or [0.0]) * 1e3,
        "write_during_snapshot_max_ms": max(during or [0.0]) * 1e3,
        "write_after_snapshot_median_ms": statistics.median(after or [0.0]) * 1e3,
        "tail_write_median_ms": tail_write * 1e3,
        "in_process_restore_wall_s": wall,
        "in_process_restore_cpu_s": cpu,
        "plain_start_s": plain,
        "restart_snapshot_s": snapshot_only,
        "restart_tail_s": with_tail,
        "bytes_per_object": snapshot_bytes / (SPACES + JOBS),
        "bytes_per_journaled_write": journal_bytes / max(entries, 1),
        "snapshot_mb": snapshot_bytes / 1e6,
    }


def _tail_writer(client: Any) -> Any:
    def write(i: int) -> float:
        started = time.perf_counter()
        response = client.post(
            f"/api/spaces/fakeuser/space-{i % SPACES}/hardware", json={"flavor": FLAVORS[i % 2]}
        )
        assert response.status_code == 200, response.text
        return time.perf_counter() - started

    return write


def _contents(path: Path) -> tuple[int, int, int]:
    """Snapshot bytes, journal bytes (its columns), journal entries."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        snapshot = db.execute("SELECT sum(length(data)) FROM snapshot_parts").fetchone()[0]
        journal, entries = db.execute(
            "SELECT sum(length(method) + length(path) + length(query) + length(headers) "
            "+ length(body) + 24), count(*) FROM journal"
        ).fetchone()
        return int(snapshot), int(journal or 0), int(entries)
    finally:
        db.close()


def _restore_in_process(path: Path) -> tuple[float, float]:
    restored = FakeHub(HubConfig())
    again = DurableState(StateFile.open(path), restored)
    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(again.restore(create_app(restored)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    again.file.close()
    return wall, cpu


def sizes(folder: Path) -> dict[str, float]:
    """Snapshot bytes per Space (Spaces only) and per Job (Jobs only), 2000 of each."""
    result = {}
    for kind, spaces, jobs in (("space", 2000, 0), ("job", 0, 2000)):
        hub = FakeHub(HubConfig())
        global SPACES, JOBS
        saved = SPACES, JOBS
        SPACES, JOBS = spaces, jobs
        _populate(hub)
        SPACES, JOBS = saved
        empty = folder / f"empty-{kind}.db"
        DurableState(StateFile.open(empty), FakeHub(HubConfig())).close()
        path = folder / f"{kind}.db"
        DurableState(StateFile.open(path), hub).close()
        result[f"bytes_per_{kind}"] = (path.stat().st_size - empty.stat().st_size) / 2000
    return result


def main() -> None:
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if os.environ.get("BENCH_ONLY") != "restart":
            writes = per_write(folder)
            for target, micros in writes.items():
                print(f"  hardware write, {target:>17}: {micros:8.0f} µs (median)")
            ratio = writes["--state"] / writes["in memory"]
            print(f"  --state / in memory: {ratio:.2f}x")
            for key, value in sizes(folder).items():
                print(f"  {key}: {value:.0f}")
        for key, value in restart(folder).items():
            print(f"  {key}: {value:.3f}", flush=True)


if __name__ == "__main__":
    main()
