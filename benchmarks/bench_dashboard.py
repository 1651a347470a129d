"""Benchmark of the dashboard's first paint (not a test; ``python benchmarks/bench_dashboard.py``).

A hub holding 1,000 Spaces and 10,000 Jobs is served on loopback (uvicorn in a thread, as
``fakehub serve`` and the plugin do). Headless Chromium (the system one, through Playwright)
loads ``/_fakehub/dashboard`` in a fresh context each time (cold cache), and the page reports:

* first paint and first contentful paint (the browser's own ``paint`` timing entries);
* "overview ready": when the overview cards (counts over all 10,000 Jobs) are drawn;
* then, in the same page, how long the Spaces and Jobs views take to show their first page
  after the link is clicked.

Baseline in the same run: a trivial Starlette app serving one small HTML page the same way,
whose first contentful paint gives the ratio. Also the server side alone: median latency of
the three control routes the first views read, over httpx on loopback.
"""

from __future__ import annotations

import platform
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from loopback import Served  # benchmarks/loopback.py
from playwright.sync_api import sync_playwright
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from fakehub import FakeHub
from fakehub.domain.jobs.records import JobSpec
from fakehub.server import ServerThread

SPACES = 1_000
JOBS = 10_000
LOADS = 25
CALLS = 50
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def populated_hub() -> FakeHub:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.space_factory import actor_for, add_space

    hub = FakeHub()
    for index in range(SPACES):
        add_space(hub, f"fakeuser/space-{index:04d}", hardware="t4-small" if index % 3 else None)
    actor = actor_for(hub)
    spec = JobSpec(flavor="cpu-basic", command=("python", "train.py"), docker_image="python:3.12")
    for index in range(JOBS):
        hub.jobs.run(actor, "fakeuser", spec)
        if index % 1000 == 999:
            hub.advance(30)  # a mix of stages: finished, running, scheduling
    hub.advance(40)
    return hub


class Baseline:
    """A trivial Starlette app with one small HTML page, served like fakehub (uvicorn, thread)."""

    PAGE = "<!doctype html><title>baseline</title><h1>baseline</h1><p>A trivial page.</p>"

    def __enter__(self) -> Baseline:
        async def page(request: Any) -> HTMLResponse:
            return HTMLResponse(self.PAGE)

        self.served = Served(Starlette(routes=[Route("/", page)]))
        self.url = self.served.url
        return self

    def __exit__(self, *exc: object) -> None:
        self.served.stop()


def paint_times(page: Any) -> dict[str, float]:
    entries = page.evaluate("performance.getEntriesByType('paint').map(e => [e.name, e.startTime])")
    return {name: float(at) for name, at in entries}


def load_dashboard(browser: Any, url: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/_fakehub/dashboard")
    page.wait_for_selector(".cards .card")
    ready = float(page.evaluate("performance.now()"))
    times = paint_times(page) | {"overview-ready": ready}
    for view, selector in (
        ("spaces", "table a[href^='#/spaces/']"),
        ("jobs", "table a[href^='#/jobs/']"),
    ):
        started = float(page.evaluate("performance.now()"))
        page.click(f"nav a[href='#/{view}']")
        page.wait_for_selector(selector)
        times[f"{view}-view"] = float(page.evaluate("performance.now()")) - started
    context.close()
    return times


def load_baseline(browser: Any, url: str) -> dict[str, float]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("h1")
    times = paint_times(page)
    context.close()
    return times


def route_latency(url: str) -> dict[str, float]:
    out = {}
    with httpx.Client(base_url=url) as client:
        for path in ("/_fakehub/overview", "/_fakehub/spaces?limit=50", "/_fakehub/jobs?limit=50"):
            samples = []
            for _ in range(CALLS):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
            out[path] = statistics.median(samples)
    return out


def main() -> None:
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("no chromium on PATH (apt-get install chromium)")
    started = time.perf_counter()
    hub = populated_hub()
    print(f"populated {SPACES} Spaces and {JOBS} Jobs in {time.perf_counter() - started:.1f} s")
    with ServerThread(hub) as server, Baseline() as baseline, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        runs: list[dict[str, float]] = []
        base: list[dict[str, float]] = []
        load_dashboard(browser, server.url)  # warm the server and the browser once
        for _ in range(LOADS):  # alternate, so load from other processes hits both alike
            runs.append(load_dashboard(browser, server.url))
            base.append(load_baseline(browser, baseline.url))
        browser.close()
        latency = route_latency(server.url)
    print(f"machine: {platform.platform()}, {platform.python_version()}, chromium {executable}")
    print(f"median over {LOADS} cold loads (ms):")
    for key in (
        "first-paint",
        "first-contentful-paint",
        "overview-ready",
        "spaces-view",
        "jobs-view",
    ):
        print(f"  dashboard {key:24} {statistics.median(r[key] for r in runs):8.1f}")
    fcp_base = statistics.median(b["first-contentful-paint"] for b in base)
    fcp = statistics.median(r["first-contentful-paint"] for r in runs)
    print(f"  baseline  first-contentful-paint   {fcp_base:8.1f}   ratio {fcp / fcp_base:.2f}x")
    print(f"median of {CALLS} calls (ms):")
    for path, ms in latency.items():
        print(f"  {path:32} {ms:6.2f}")


if __name__ == "__main__":
    main()
