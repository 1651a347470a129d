"""Benchmarks for ``fakehub serve --state`` (not a test; run ``python benchmarks/bench_state.py``).

1. Per-write overhead: ``POST /api/spaces/{id}/hardware`` (what ``request_space_hardware``
   sends) over loopback HTTP against the in-memory server, the ``--state`` server (full
   durability: WAL, ``synchronous=FULL``, one commit per write) and a trivial Starlette app
   answering a constant, all uvicorn in a thread in this process, in alternating blocks; medians.
2. Restart time with 10k Spaces and 100k Jobs: ``fakehub serve --state`` as a subprocess, from
   launch to the banner (the socket is bound only after the restore), for a file with only a
   snapshot and for one with a journal tail of ``TAIL`` writes to replay; beside it the start of
   a plain ``fakehub serve`` (interpreter, imports), which every start pays.
3. File size per Space and per Job (snapshot) and per journaled write.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from loopback import Served  # benchmarks/loopback.py
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.domain.jobs.records import JobSpec
from fakehub.domain.spaces.options import SpaceOptions
from fakehub.store import DurableState, StateFile

N_CALLS = int(os.environ.get("BENCH_CALLS", "600"))
BLOCKS = 6
SPACES = int(os.environ.get("BENCH_SPACES", "10000"))
JOBS = int(os.environ.get("BENCH_JOBS", "100000"))
TAIL = int(os.environ.get("BENCH_TAIL", "2000"))
WRITE = {"authorization": "Bearer hf_fake_write"}
FLAVORS = ("t4-small", "cpu-upgrade")


def _trivial() -> Starlette:
    async def hardware(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"stage": "RUNNING", "hardware": {"requested": "t4-small"}})

    return Starlette(routes=[Route("/api/spaces/{a}/{b}/hardware", hardware, methods=["POST"])])


def _with_space(hub: FakeHub) -> FakeHub:
    actor = hub.authenticate("Bearer hf_fake_write")
    hub.repos.create(
        actor, name="demo", organization=None, sdk="gradio", visibility=None,
        options=SpaceOptions(), endpoint="http://127.0.0.1",
    )  # fmt: skip
    return hub


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


def per_write(folder: Path) -> dict[str, float]:
    memory = Served(create_app(_with_space(FakeHub(HubConfig()))))
    hub = _with_space(FakeHub(HubConfig()))
    state = DurableState(StateFile.open(folder / "write.db"), hub)
    durable = Served(create_app(hub, journal=state.hooks()))
    trivial = Served(_trivial())
    targets = {"trivial Starlette": trivial.url, "in memory": memory.url, "--state": durable.url}
    times: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(BLOCKS):
        for name, url in targets.items():
            times[name] += _block(url, N_CALLS // BLOCKS)
    for served in (memory, durable, trivial):
        served.stop()
    state.close()
    return {name: statistics.median(values) * 1e6 for name, values in times.items()}


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
    snapshot_bytes = path.stat().st_size
    app = create_app(hub, journal=state.hooks())
    from starlette.testclient import TestClient

    with TestClient(app, base_url="http://fake.test", headers=WRITE) as client:
        t0 = time.perf_counter()
        for i in range(TAIL):
            client.post(f"/api/spaces/fakeuser/space-{i}/hardware", json={"flavor": "t4-small"})
        tail_write = (time.perf_counter() - t0) / max(TAIL, 1)
    state.file.close()  # as a kill would: the tail stays in the journal
    size_with_tail = path.stat().st_size + _wal(path)
    wall, cpu = _restore_in_process(path)
    plain = statistics.median(_start([]) for _ in range(3))
    with_tail = _start(["--state", str(path)])  # replays the tail, then folds on stop
    snapshot_only = statistics.median(_start(["--state", str(path)]) for _ in range(3))
    return {
        "build_s": built,
        "fold_s": fold,
        "tail_write_us": tail_write * 1e6,
        "in_process_restore_wall_s": wall,
        "in_process_restore_cpu_s": cpu,
        "plain_start_s": plain,
        "restart_snapshot_s": snapshot_only,
        "restart_tail_s": with_tail,
        "bytes_per_object": snapshot_bytes / (SPACES + JOBS),
        "bytes_per_journaled_write": (size_with_tail - snapshot_bytes) / max(TAIL, 1),
        "snapshot_mb": snapshot_bytes / 1e6,
    }


def _restore_in_process(path: Path) -> tuple[float, float]:
    restored = FakeHub(HubConfig())
    again = DurableState(StateFile.open(path), restored)
    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(again.restore(create_app(restored)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    again.file.close()
    return wall, cpu


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


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
