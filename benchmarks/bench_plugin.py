"""Benchmarks for the pytest plugin (not a test; run ``python benchmarks/bench_plugin.py``).

1. Per-test overhead: one pytest session per variant, each with N trivial tests; the time per
   test comes from pytest's own ``--durations`` data (setup + call + teardown of every test),
   so interpreter start-up and collection are left out. Variants: no fixture, ``fake_hub``,
   pytest-httpserver's ``httpserver``, moto's ``mock_aws``. Marginal overhead = variant minus
   the no-fixture baseline.
2. Per-call latency of ``HfApi.get_space_runtime`` against fakehub answered in-process (the
   app called directly, as in a ``fake_hub`` test), against fakehub over its socket (as a
   subprocess with ``HF_ENDPOINT`` gets it), and against a trivial Starlette app that returns
   a constant runtime over a socket (uvicorn in a thread, loopback), same process.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from loopback import Served  # benchmarks/loopback.py, the one way benchmarks serve an app

N_TESTS = 400
N_CALLS = 2000
ROUNDS = 5

VARIANTS = {
    "no fixture": "def test_{i}():\n    pass\n",
    "fake_hub": "def test_{i}(fake_hub):\n    pass\n",
    "httpserver": "def test_{i}(httpserver):\n    pass\n",
    "mock_aws": "def test_{i}(aws):\n    pass\n",
}
CONFTEST = textwrap.dedent(
    """
    import pytest
    from moto import mock_aws


    @pytest.fixture
    def aws():
        with mock_aws():
            yield
    """
)
REPORTER = textwrap.dedent(
    """
    import json, os

    totals = {}

    def pytest_runtest_logreport(report):
        totals[report.nodeid] = totals.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(session):
        with open(os.environ["BENCH_OUT"], "w") as out:
            json.dump(totals, out)
    """
)


def per_test_seconds(variant: str, workdir: Path) -> list[float]:
    body = "".join(VARIANTS[variant].format(i=i) for i in range(N_TESTS))
    (workdir / "test_bench.py").write_text(body)
    (workdir / "conftest.py").write_text(CONFTEST + REPORTER)
    out = workdir / "durations.json"
    env = {**os.environ, "BENCH_OUT": str(out)}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(workdir)],
        check=True,
        env=env,
        cwd=workdir,
        capture_output=True,
    )
    totals = json.loads(out.read_text())
    # The first test of a session pays for starting servers and imports: report it apart.
    values = [totals[k] for k in sorted(totals, key=lambda k: int(k.rsplit("_", 1)[1]))]
    return values


def overhead() -> dict[str, dict[str, Any]]:
    medians: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    firsts: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    # Rounds alternate between variants, so that drift on a shared machine hits all alike.
    for _ in range(ROUNDS):
        for variant in VARIANTS:
            with tempfile.TemporaryDirectory() as tmp:
                values = per_test_seconds(variant, Path(tmp))
            firsts[variant].append(values[0])
            medians[variant].append(statistics.median(values[1:]))
    results: dict[str, dict[str, Any]] = {}
    for variant in VARIANTS:
        results[variant] = {
            "per_test_ms": statistics.median(medians[variant]) * 1000,
            "first_test_ms": statistics.median(firsts[variant]) * 1000,
            "rounds_ms": [value * 1000 for value in medians[variant]],
        }
    base = results["no fixture"]["per_test_ms"]
    for values in results.values():
        values["marginal_ms"] = values["per_test_ms"] - base
    return results


def interleaved(rounds: int = 3) -> dict[str, list[float]]:
    """Marginal cost per variant with every variant's tests alternating in one session.

    Separate sessions drift apart on a shared machine (another engineer's test run starts);
    here test i of every variant runs back to back, so drift hits them alike. Per round: the
    median of each variant (first tests apart) minus the no-fixture median of that session.
    """
    marginals: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            body = "".join(
                VARIANTS[variant].replace("test_{i}", f"test_{n}_{{i}}").format(i=i)
                for i in range(N_TESTS)
                for n, variant in enumerate(VARIANTS)
            )
            totals = _run_session(workdir, body)
        medians = {}
        for n, variant in enumerate(VARIANTS):
            values = [v for k, v in totals.items() if k.split("::")[-1].startswith(f"test_{n}_")]
            medians[variant] = statistics.median(values[1:]) * 1000  # run order: first apart
        for variant in VARIANTS:
            marginals[variant].append(medians[variant] - medians["no fixture"])
    return marginals


def _run_session(workdir: Path, body: str) -> dict[str, float]:
    (workdir / "test_bench.py").write_text(body)
    (workdir / "conftest.py").write_text(CONFTEST + REPORTER)
    out = workdir / "durations.json"
    env = {**os.environ, "BENCH_OUT": str(out)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(workdir)]
    subprocess.run(command, check=True, env=env, cwd=workdir, capture_output=True)
    totals: dict[str, float] = json.loads(out.read_text())
    return totals


def _time_calls(api: object, repo_id: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        api.get_space_runtime(repo_id)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - started)
    return samples


def latency(n_calls: int = N_CALLS, rounds: int = ROUNDS) -> dict[str, float]:
    import contextlib

    from huggingface_hub import HfApi
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from fakehub import FakeHub
    from fakehub.routing import AsgiDelivery, Interception, Router, Routing, SocketDelivery
    from fakehub.server import ServerThread

    async def runtime(request: object) -> JSONResponse:
        return JSONResponse(CONSTANT_RUNTIME)

    trivial = Served(Starlette(routes=[Route("/api/spaces/{ns}/{name}/runtime", runtime)]))
    repo_id = "fakeuser/bench"
    hub_api = HfApi(endpoint="https://huggingface.co", token="hf_fake_write")

    def routed(fake: ServerThread, in_process: bool) -> contextlib.ExitStack:
        router = Router(fake.url)
        delivery = (
            AsgiDelivery(fake.app, (fake.host, fake.port)) if in_process else SocketDelivery(router)
        )
        stack = contextlib.ExitStack()
        stack.enter_context(Interception(router, delivery))
        stack.enter_context(Routing(router))
        return stack

    samples: dict[str, list[float]] = {}
    try:
        with ServerThread(FakeHub()) as fake:
            with routed(fake, True):
                hub_api.create_repo(repo_id, repo_type="space", space_sdk="static")
            # (name, api, routing): in-process is what a fake_hub test gets; the socket rows
            # are a subprocess with HF_ENDPOINT (no routing at all).
            variants = [
                ("fakehub in-process", hub_api, lambda: routed(fake, True)),
                ("fakehub socket", HfApi(endpoint=fake.url, token="hf_fake_write"), None),
                ("trivial Starlette socket", HfApi(endpoint=trivial.url, token="x"), None),
            ]
            # Alternate blocks so that drift on a shared machine hits all sides alike.
            for _ in range(rounds * 2):
                for name, api, routing in variants:
                    with routing() if routing else contextlib.nullcontext():
                        _time_calls(api, repo_id, 20)  # warm the connection
                        calls = _time_calls(api, repo_id, n_calls // (rounds * 2))
                        samples.setdefault(name, []).extend(calls)
    finally:
        trivial.stop()
    results = {name: statistics.median(values) * 1e6 for name, values in samples.items()}
    trivial_us = results["trivial Starlette socket"]
    results["ratio in-process"] = results["fakehub in-process"] / trivial_us
    results["ratio socket"] = results["fakehub socket"] / trivial_us
    return results


CONSTANT_RUNTIME = {
    "stage": "RUNNING",
    "hardware": {"current": None, "requested": None},
    "storage": None,
    "replicas": {"current": 1, "requested": 1},
    "devMode": False,
    "domains": [],
}


def machine() -> str:
    import huggingface_hub

    cpu = "unknown CPU"
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}, huggingface_hub {huggingface_hub.__version__}"
    )


def main() -> None:
    print(f"machine: {machine()}")
    print(f"load average at start: {os.getloadavg()}")
    print(f"\nper-test time, median of {ROUNDS} sessions x {N_TESTS} tests (first test apart):")
    for name, values in overhead().items():
        rounds = " ".join(f"{value:.3f}" for value in values["rounds_ms"])
        print(
            f"  {name:12} {values['per_test_ms']:7.3f} ms/test  marginal {values['marginal_ms']:+7.3f} ms"
            f"  first test {values['first_test_ms']:8.1f} ms  (rounds: {rounds})"
        )
    print(f"\nmarginal per test, the variants' tests alternating in one session x {N_TESTS}:")
    for name, values in interleaved().items():
        rounds = " ".join(f"{value:+.3f}" for value in values)
        print(f"  {name:12} median {statistics.median(values):+7.3f} ms  (rounds: {rounds})")
    print(f"\nHfApi.get_space_runtime, median of {N_CALLS} calls each (interleaved):")
    results = latency()
    for name in ("fakehub in-process", "fakehub socket", "trivial Starlette socket"):
        print(f"  {name:26} {results[name]:8.1f} us/call")
    print(f"  ratio in-process / trivial socket: {results['ratio in-process']:.2f}x")
    print(f"  ratio socket / trivial socket:     {results['ratio socket']:.2f}x")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
