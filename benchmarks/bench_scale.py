"""Scale benchmark (issue 14): every figure printed next to its target.

Run ``python benchmarks/bench_scale.py`` (about 5 minutes; ``--quick`` uses 1/10 of the sizes
for a trial run, its ratios are not the targets' figures; ``--only cron,dump`` runs only some
sections: ``servers``, ``runtime`` (the two server-mode reads alone, on the small hub),
``creates``, ``cron``, ``heap``, ``dump``, ``memory``). What it does is written up in
``benchmarks/README.md``. Ratios are always taken between two things measured in the same run,
in alternating blocks, as medians: this machine is shared, absolute times drift.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from loopback import Served  # benchmarks/loopback.py

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dump_floor
import httpx
import scale_setup as setup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub import FakeHub
from fakehub.domain.jobs.records import JobSpec
from fakehub.domain.spaces.commits import AddFile
from fakehub.domain.spaces.files import CommitHeader
from fakehub.scheduler import no_cycle_collection
from fakehub.server import ServerThread
from fakehub.wire.responses import StateJSONResponse

TOKEN = {"authorization": "Bearer hf_fake_write"}
ROUNDS = 30
#: median CPU seconds per call of the last ``interleaved`` measurement, by name
CPU: dict[str, float] = {}
Row = tuple[str, str, str, bool]
rows: list[Row] = []


def report(what: str, value: str, target: str, met: bool) -> None:
    rows.append((what, value, target, met))
    print(f"  {'MET ' if met else 'MISS'} {what:58} {value:>24}   target {target}", flush=True)


def interleaved(calls: dict[str, Callable[[], object]], per_round: int) -> dict[str, float]:
    """Median wall seconds per call of each, measured in alternating blocks.

    The median CPU seconds per call (this process: the client and the servers' threads) go to
    ``CPU`` under the same names: on a loaded machine they vary less than wall time.
    """
    samples: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        for _ in range(5):
            call()  # warm connections and caches
    for _ in range(ROUNDS):
        for name, call in calls.items():
            for _ in range(per_round):
                began, began_cpu = time.perf_counter(), time.process_time()
                call()
                samples[name].append(time.perf_counter() - began)
                cpu[name].append(time.process_time() - began_cpu)
    CPU.update({name: statistics.median(values) for name, values in cpu.items()})
    return {name: statistics.median(values) for name, values in samples.items()}


class ConstantApp:
    """A trivial Starlette app answering, per path, bytes captured from fakehub beforehand."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.app = Starlette(routes=[Route("/{path:path}", self._answer)])

    async def _answer(self, request: Request) -> Response:
        return Response(self.bodies[request.url.path], media_type="application/json")


def _server(hub: FakeHub) -> ServerThread:
    return ServerThread(hub).start()


# -- the hubs ----------------------------------------------------------------------------------


def build(spaces: int, jobs: int) -> tuple[FakeHub, setup.CreateTimes, setup.CreateTimes]:
    hub = FakeHub()
    space_times = setup.add_spaces(hub, spaces)
    job_times = setup.add_jobs(hub, jobs)
    return hub, space_times, job_times


# -- sections ----------------------------------------------------------------------------------


def runtime_reads(small: ServerThread, constant: ConstantApp, constant_url: str, n: int) -> None:
    from huggingface_hub import HfApi

    repo_id = "fakeuser/space-1"
    job_id = next(iter(small.hub.jobs.runs.jobs))
    paths = {
        "runtime": (f"/api/spaces/{repo_id}/runtime", f"/api/jobs/fakeuser/{job_id}"),
    }
    with httpx.Client(base_url=small.url, headers=TOKEN) as client:
        for path in paths["runtime"]:
            constant.bodies[path] = client.get(path).content
    fake = HfApi(endpoint=small.url, token="hf_fake_write")
    trivial = HfApi(endpoint=constant_url, token="hf_fake_write")
    print(f"\nServer mode, real client (HfApi), median of {ROUNDS * n} calls each:")
    reads: tuple[tuple[str, Callable[[HfApi], object]], ...] = (
        ("get_space_runtime", lambda api: api.get_space_runtime(repo_id)),
        ("inspect_job", lambda api: api.inspect_job(job_id=job_id, namespace="fakeuser")),
    )
    for what, call in reads:
        times = interleaved({"fake": partial(call, fake), "constant": partial(call, trivial)}, n)
        ratio = times["fake"] / times["constant"]
        value = f"{ratio:.2f}x ({times['fake'] * 1e6:.0f} vs {times['constant'] * 1e6:.0f} us)"
        value += f", CPU {CPU['fake'] / CPU['constant']:.2f}x"
        report(f"{what} / constant app", value, "<= 1.1x", ratio <= 1.1)


def space_lists(
    small: ServerThread, big: ServerThread, constant: ConstantApp, constant_url: str, n: int
) -> None:
    from huggingface_hub import HfApi

    big_count = len(big.hub.space_store)
    with httpx.Client(base_url=small.url, headers=TOKEN) as client:
        constant.bodies["/api/spaces"] = client.get("/api/spaces", params={"limit": 100}).content
    fake_small = HfApi(endpoint=small.url, token="hf_fake_write")
    fake_big = HfApi(endpoint=big.url, token="hf_fake_write")
    trivial = HfApi(endpoint=constant_url, token="hf_fake_write")

    def listing(api: HfApi, **query: Any) -> Callable[[], object]:
        return lambda: list(api.list_spaces(limit=100, **query))

    cases: dict[str, dict[str, Any]] = {
        "first page": {},
        "author=fakeorg": {"author": "fakeorg"},
        "search=space-99": {"search": "space-99"},
        "filter=static (1 in 10)": {"filter": "static"},
        "filter=demo (1 in 100)": {"filter": "demo"},
        "sort=last_modified": {"sort": "last_modified"},
        "sort=created_at": {"sort": "created_at"},
        "sort=id": {"sort": "id"},
    }
    calls = {"100 Spaces": listing(fake_small), "constant": listing(trivial)}
    calls |= {case: listing(fake_big, **query) for case, query in cases.items()}
    print(f"\nlist_spaces(limit=100), real client, median of {ROUNDS * n} calls each:")
    times = interleaved(calls, n)
    base = times["100 Spaces"]
    ratio = base / times["constant"]
    value = f"{ratio:.2f}x ({base * 1e6:.0f} vs {times['constant'] * 1e6:.0f} us)"
    value += f", CPU {CPU['100 Spaces'] / CPU['constant']:.2f}x"
    report("list_spaces, 100 Spaces / constant app, same bytes", value, "<= 2x", ratio <= 2)
    for case in cases:
        ratio = times[case] / base
        value = f"{ratio:.2f}x ({times[case] * 1e6:.0f} us)"
        report(f"list_spaces {case}, {big_count} / 100 Spaces", value, "<= 1.5x", ratio <= 1.5)


def job_lists(small: ServerThread, big: ServerThread, n: int) -> None:
    small_count, big_count = len(small.hub.jobs.runs.jobs), len(big.hub.jobs.runs.jobs)
    cases = {
        "list_jobs first page": ("/api/jobs/fakeuser", {}),
        "list_jobs label k=3": ("/api/jobs/fakeuser", {"label": "k=3"}),
        "list_jobs stage=ERROR (1 in 20)": ("/api/jobs/fakeuser", {"stage": "ERROR"}),
        "list_jobs stage=COMPLETED": ("/api/jobs/fakeuser", {"stage": "COMPLETED"}),
        "count": ("/api/jobs/fakeuser/count", {}),
        "count stage=RUNNING": ("/api/jobs/fakeuser/count", {"stage": "RUNNING"}),
    }
    print(f"\nJobs over HTTP (httpx), median of {ROUNDS * n} calls each:")
    with (
        httpx.Client(base_url=small.url, headers=TOKEN) as on_small,
        httpx.Client(base_url=big.url, headers=TOKEN) as on_big,
    ):
        for case, (path, params) in cases.items():

            def call(client: httpx.Client, path: str = path, params: Any = params) -> None:
                client.get(path, params=params).raise_for_status()

            times = interleaved({"small": lambda: call(on_small), "big": lambda: call(on_big)}, n)
            ratio = times["big"] / times["small"]
            value = f"{ratio:.2f}x ({times['big'] * 1e6:.0f} us)"
            report(f"{case}, {big_count} / {small_count} Jobs", value, "<= 1.5x", ratio <= 1.5)


def creates(space_times: setup.CreateTimes, job_times: setup.CreateTimes) -> None:
    print(f"\nCost per create (median of blocks of {setup.BLOCK}), first 1k vs last 1k:")
    for what, times in (("Space", space_times), ("Job", job_times)):
        first, last = times.per_create_us(True), times.per_create_us(False)
        count = len(times.blocks) * setup.BLOCK
        value = f"{last / first:.2f}x ({first:.0f} -> {last:.0f} us)"
        report(
            f"create {what}: last 1k / first 1k of {count}", value, "<= 1.2x", last <= 1.2 * first
        )


def schedules(days: int) -> None:
    print("\nScheduled jobs:")
    hub = FakeHub()
    who = setup.actor(hub)
    spec = JobSpec("cpu-basic", ("echo", "hi"), "python:3.12")
    for _ in range(100):
        hub.jobs.scheduled.create(who, "fakeuser", spec, "@hourly")
    wall, cpu = time.perf_counter(), time.process_time()
    hub.advance(days * 86400)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    runs = len(hub.jobs.runs.jobs)
    value = f"{wall:.2f} s wall, {cpu:.2f} s CPU"
    report(f"100 @hourly schedules, {days} virtual days ({runs} runs)", value, "<= 5 s", wall <= 5)
    for item in hub.jobs.scheduled.items.values():
        item.suspend = True  # nothing due from now on (what a suspended schedule is)
        hub.jobs.scheduled._arm(item, hub.now())
    second = _median_seconds(lambda: hub.advance(1))
    year = _median_seconds(lambda: hub.advance(365 * 86400))
    value = f"{year * 1e6:.0f} us vs {second * 1e6:.0f} us for 1 s"
    report(
        "advance a year with nothing due (holding those runs)",
        value,
        "O(1)",
        year < 5 * second + 1e-3,
    )


def _median_seconds(call: Callable[[], object], repeat: int = 9) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def scheduler_heap() -> None:
    """Restarts and cancels leave cancelled events behind; the heap must not keep them all."""
    hub = FakeHub()
    setup.add_spaces(hub, 1)
    who = setup.actor(hub)
    repo_id = next(iter(hub.space_store.spaces())).repo_id
    app = [AddFile("app.py", b"import gradio\n")]
    hub.repos.files.commit(who, repo_id, "main", CommitHeader("app"), app)  # it builds now
    for _ in range(1000):
        hub.spaces.restart(who, repo_id)  # each restart cancels the pending build step
    spec = JobSpec("cpu-basic", ("echo",), "python:3.12")
    for _ in range(1000):
        job = hub.jobs.run(who, "fakeuser", spec)
        hub.jobs.cancel(who, "fakeuser", job.id)
    held, live = len(hub.ctx.scheduler), len(hub.ctx.scheduler.pending())
    what = "scheduler heap after 1,000 restarts + 1,000 cancelled jobs"
    value = f"{held} entries for {live} pending"
    report(what, value, "<= 2x pending + 64", held <= 2 * live + 64)


def dump(big: FakeHub, spaces: int, jobs: int) -> None:
    """``FakeHub.dump()`` (freeing its output included), after one untimed dump: a server has
    generated its converters and grown its heap before. Then, for information: the jobs' part
    built by hand (:mod:`dump_floor`), alternating with the dump, and what
    ``GET /_fakehub/state`` adds: encoding the dump to JSON."""
    print("\nState dump:")
    big.dump()
    cpu = time.process_time()
    wall = _median_seconds(big.dump, repeat=5)
    cpu = (time.process_time() - cpu) / 5
    report(
        f"/_fakehub/state dump, {spaces} Spaces + {jobs} Jobs",
        f"{wall:.2f} s wall, {cpu:.2f} s CPU",
        "<= 2 s",
        wall <= 2,
    )
    # the machine's share: the jobs' part built by hand (no walk, no check, the same pause of
    # the collector), alternating with the dump
    store = big.jobs.runs.jobs
    assert _by_hand(store) == big.dump()["jobs"]["runs"]["jobs"]
    times: dict[str, list[float]] = {"dump": [], "by hand": []}
    for _ in range(3):
        for name, call in (("dump", big.dump), ("by hand", lambda: _by_hand(store))):
            began = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - began)
    walked, by_hand = (statistics.median(times[name]) for name in ("dump", "by hand"))
    print(
        f"  info the {jobs} jobs' part built by hand (freed included): {by_hand:.2f} s,"
        f" the whole dump alternating with it: {walked:.2f} s ({walked / by_hand:.1f}x)"
    )
    answer = StateJSONResponse(big.dump())
    served = _median_seconds(lambda: StateJSONResponse(big.dump()), repeat=3)
    size = len(answer.body) / 1e6
    print(f"  info GET /_fakehub/state (dump + JSON): {served:.2f} s for {size:.0f} MB")


def _by_hand(store: Any) -> dict[str, Any]:
    with no_cycle_collection():
        return dump_floor.jobs_by_hand(store)


def memory() -> None:
    print("\nMemory:")
    per_space = setup.bytes_per(lambda hub, n: setup.add_spaces(hub, n), 1000)
    report("memory per Space (traced)", f"{per_space / 1024:.2f} KB", "<= 4 KB", per_space <= 4096)
    per_job = setup.bytes_per(lambda hub, n: setup.add_jobs(hub, n), 2000)
    report(
        "memory per finished Job (traced)", f"{per_job / 1024:.2f} KB", "<= 2 KB", per_job <= 2048
    )


SECTIONS = ("servers", "runtime", "creates", "cron", "heap", "dump", "memory")


def servers(small_hub: FakeHub, big_hub: FakeHub, n: int) -> None:
    constant = ConstantApp()
    small, big, trivial = _server(small_hub), _server(big_hub), Served(constant.app)
    try:
        runtime_reads(small, constant, trivial.url, n)
        space_lists(small, big, constant, trivial.url, n)
        job_lists(small, big, n)
    finally:
        for server in (small, big, trivial):
            server.stop()


def runtime_only(n: int) -> None:
    """The server-mode runtime and ``inspect_job`` ratios alone, on the small hub (as
    ``servers`` measures them, without building the big hub first)."""
    small_hub, _, _ = build(100, 1000)
    constant = ConstantApp()
    small, trivial = _server(small_hub), Served(constant.app)
    try:
        runtime_reads(small, constant, trivial.url, n)
    finally:
        for server in (small, trivial):
            server.stop()


def machine() -> str:
    import huggingface_hub

    cpu = "unknown CPU"
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), load {load:.1f}, "
        f"Python {platform.python_version()}, huggingface_hub {huggingface_hub.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1/10 of the sizes (a trial run)")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections to run, of {','.join(SECTIONS)}"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    if only - set(SECTIONS):
        parser.error(f"--only: unknown sections {sorted(only - set(SECTIONS))}")
    scale = 10 if args.quick else 1
    spaces, jobs, n = 10_000 // scale, 100_000 // scale, 10 // (2 if args.quick else 1)
    print(f"machine: {machine()}")
    began = time.perf_counter()
    if only & {"servers", "creates", "dump"}:
        small_hub, _, _ = build(100, 1000)
        big_hub, space_times, job_times = build(spaces, jobs)
        print(f"hubs built in {time.perf_counter() - began:.0f} s")
    if "creates" in only:
        creates(space_times, job_times)
    if "servers" in only:
        servers(small_hub, big_hub, n)
    elif "runtime" in only:
        runtime_only(n)
    if "cron" in only:
        schedules(30 // scale)
    if "heap" in only:
        scheduler_heap()
    if "dump" in only:
        dump(big_hub, spaces, jobs)
    if "memory" in only:
        memory()
    missed = [row for row in rows if not row[3]]
    print(
        f"\n{len(rows) - len(missed)} of {len(rows)} targets met in {time.perf_counter() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
