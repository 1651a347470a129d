"""Loopback load benchmark (not a test; run ``python benchmarks/bench_load.py``, ~1-2 min).

``fakehub serve`` runs in a subprocess (its own interpreter and GIL); this process drives it:

* ``WORKERS`` threads, each with one keep-alive ``http.client`` connection, each making
  ``CALLS_PER_WORKER`` mixed Hub calls (whoami, list/search Spaces, runtime, variables, run and
  inspect a job, list jobs, a hostile body that must be refused);
* ``FOLLOWERS`` threads re-opening log streams back to back (``FOLLOWS_PER_FOLLOWER`` times
  each): half the logs of a finished job (the reconnect storm of issue 10), half the live
  stream of a running job, read until its first lines arrive and dropped.

Bounded in count and time: every thread stops at its count or at ``DEADLINE`` seconds. The same
workload runs against a trivial Starlette app (constant answers, same uvicorn options, also a
subprocess) for a ratio from the same run. Reported: requests/s, p50/p99 latency, errors
(exceptions, 5xx, or a hostile body that was not a 400).
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORKERS = int(os.environ.get("BENCH_WORKERS", 32))
CALLS_PER_WORKER = int(os.environ.get("BENCH_CALLS", 150))
FOLLOWERS = 12
FOLLOWS_PER_FOLLOWER = 60
DEADLINE = 90.0
TOKEN = {"Authorization": "Bearer hf_fake_write"}
JOB = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}
HOSTILE = [b"[" * 5000 + b"]" * 5000, b'{"a": ' + b"9" * 5000 + b"}", b'{"key": "K\\ud800"}']

TRIVIAL_APP = textwrap.dedent(
    """
    import sys
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def anything(request):
        await request.body()
        if request.url.path.endswith("/logs") or "/logs/" in request.url.path:
            return Response(b'data: {"data":"hi"}\\n\\n', media_type="text/event-stream")
        if request.url.path.endswith("/secrets") and request.method == "POST":
            return JSONResponse({"error": "refused"}, status_code=400)
        return JSONResponse({"id": "0" * 24, "name": "fakeuser", "stage": "RUNNING"})

    app = Starlette(routes=[Route("/{p:path}", anything, methods=["GET", "POST", "DELETE"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)

    async def main():
        import asyncio
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        print(f"serving at http://127.0.0.1:{port}", flush=True)
        await task

    import asyncio
    asyncio.run(main())
    """
)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


class Conn:
    def __init__(self, port: int) -> None:
        self.port = port
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = dict(TOKEN)
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.http.request(method, path, body=body, headers=headers)
                response = self.http.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # an idle keep-alive connection the server closed: a client reconnects (and
                # a reconnect that fails too is an error)
                self.http.close()
                self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def timed(tally: Tally, action: Callable[[], str | None]) -> None:
    start = time.perf_counter()
    try:
        error = action()
    except Exception as exc:  # a benchmark counts every failure, whatever it is
        error = f"{type(exc).__name__}: {exc}"
    tally.add(time.perf_counter() - start, error)


def worker(port: int, index: int, tally: Tally, stop_at: float) -> None:
    conn = Conn(port)
    job_id = ""

    def expect(status: int, method: str, path: str, body: Any = None) -> Callable[[], str | None]:
        def run() -> str | None:
            nonlocal job_id
            raw = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
            got, content = conn.call(method, path, raw)
            if method == "POST" and path == "/api/jobs/fakeuser" and got == 200:
                job_id = json.loads(content).get("id", job_id)
            return None if got == status else f"{method} {path}: {got} (expected {status})"

        return run

    mix = [
        lambda: expect(200, "GET", "/api/whoami-v2"),
        lambda: expect(200, "GET", "/api/spaces?author=fakeuser&limit=20"),
        lambda: expect(200, "GET", "/api/spaces/fakeuser/bench/runtime"),
        lambda: expect(200, "POST", "/api/spaces/fakeuser/bench/variables",
                       {"key": f"V{index}", "value": "x"}),
        lambda: expect(200, "POST", "/api/jobs/fakeuser", JOB),
        lambda: expect(200, "GET", f"/api/jobs/fakeuser/{job_id or '0' * 24}")
        if job_id else expect(200, "GET", "/api/jobs/fakeuser"),
        lambda: expect(200, "GET", "/api/jobs/fakeuser"),
        lambda: expect(400, "POST", "/api/spaces/fakeuser/bench/secrets",
                       HOSTILE[index % len(HOSTILE)]),
    ]  # fmt: skip
    for call in range(CALLS_PER_WORKER):
        if time.monotonic() > stop_at:
            break
        timed(tally, mix[(call + index) % len(mix)]())
    conn.http.close()


def follower(port: int, index: int, jobs: tuple[str, str], tally: Tally, stop_at: float) -> None:
    finished, running = jobs
    for round_ in range(FOLLOWS_PER_FOLLOWER):
        if time.monotonic() > stop_at:
            break
        live = (round_ + index) % 2 == 1
        path = f"/api/jobs/fakeuser/{running if live else finished}/logs"

        def follow(path: str = path, live: bool = live) -> str | None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers=TOKEN)
                response = conn.getresponse()
                if response.status != 200:
                    return f"GET {path}: {response.status}"
                first = response.read1(65536) if live else response.read()
                return None if first else f"GET {path}: empty stream"
            finally:
                conn.close()

        timed(tally, follow)


def start(command: list[str]) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "http://127.0.0.1:" in line:
            return process, int(line.split("http://127.0.0.1:")[1].split()[0].strip("/"))
    raise RuntimeError(f"server did not start: {command}")


def prepare(port: int) -> tuple[str, str]:
    """A Space, a finished job and a running one (it runs 60 virtual s, at wall-clock speed)."""
    conn = Conn(port)
    space = {"name": "bench", "type": "space", "sdk": "gradio"}
    conn.call("POST", "/api/repos/create", json.dumps(space).encode())

    def run_job() -> str:
        status, content = conn.call("POST", "/api/jobs/fakeuser", json.dumps(JOB).encode())
        return str(json.loads(content).get("id", "0" * 24)) if status == 200 else "0" * 24

    finished = run_job()
    conn.call("POST", "/_fakehub/clock/advance", b'{"seconds": 3600}')
    running = run_job()
    conn.call("POST", "/_fakehub/clock/advance", b'{"seconds": 6}')
    conn.http.close()
    return finished, running


def run(label: str, command: list[str]) -> dict[str, Any]:
    process, port = start(command)
    try:
        jobs = prepare(port)
        calls, follows = Tally(), Tally()
        stop_at = time.monotonic() + DEADLINE
        threads = [
            threading.Thread(target=worker, args=(port, i, calls, stop_at)) for i in range(WORKERS)
        ] + [
            threading.Thread(target=follower, args=(port, i, jobs, follows, stop_at))
            for i in range(FOLLOWERS)
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        process.terminate()
        process.wait(timeout=10)
    return summary(label, calls, follows, elapsed)


def summary(label: str, calls: Tally, follows: Tally, elapsed: float) -> dict[str, Any]:
    def pct(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0

    everything = calls.latencies + follows.latencies
    return {
        "target": label,
        "requests": len(everything),
        "seconds": round(elapsed, 1),
        "req_per_s": round(len(everything) / elapsed),
        "calls_p50_ms": round(pct(calls.latencies, 50), 1),
        "calls_p99_ms": round(pct(calls.latencies, 99), 1),
        "streams_p50_ms": round(pct(follows.latencies, 50), 1),
        "streams_p99_ms": round(pct(follows.latencies, 99), 1),
        "errors": len(calls.errors) + len(follows.errors),
        "first_errors": (calls.errors + follows.errors)[:5],
    }


def main() -> None:
    here = Path(__file__).resolve().parent
    trivial = here / "_trivial_app_generated.py"
    trivial.write_text(TRIVIAL_APP)
    try:
        fake = [sys.executable, "-m", "fakehub", "serve", "--port", "0", "--clock", "realtime",
                "--space-policy", "instant"]  # fmt: skip
        results = [
            run("fakehub", fake),
            run("trivial Starlette app", [sys.executable, str(trivial)]),
        ]
    finally:
        trivial.unlink(missing_ok=True)
    print(f"# {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"# {WORKERS} workers x {CALLS_PER_WORKER} calls, {FOLLOWERS} followers x "
          f"{FOLLOWS_PER_FOLLOWER} streams, deadline {DEADLINE:g} s")  # fmt: skip
    for result in results:
        print(json.dumps(result))
    ratio = results[1]["req_per_s"] / max(results[0]["req_per_s"], 1)
    print(f"# throughput ratio trivial/fakehub: {ratio:.2f}x")


if __name__ == "__main__":
    main()
