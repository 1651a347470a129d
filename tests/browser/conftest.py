"""Browser tests: the dashboard in a real headless Chromium, driven by Playwright.

Playwright's own browser downloads are never used: the tests launch the system Chromium
(Debian's ``chromium`` package, or ``$FAKEHUB_CHROMIUM``). Without one they are skipped with
that reason; ``.ci/run`` installs it, so CI always runs them. Each test fails on any error in
the browser console and saves a screenshot of the page under ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakehub.server import ServerThread

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
#: Flags that work in a container as root, with no network and no GPU.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: How long the page may take to show what a test waits for (it is live: no reload needed).
WAIT_MS = 10_000


def chromium_path() -> str | None:
    for candidate in (os.environ.get("FAKEHUB_CHROMIUM"), "chromium", "chromium-browser"):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    return None


# Module scope, never session: between two sync calls, Playwright's sync API leaves its event
# loop marked running in this thread (it runs the loop in a greenlet). A session-wide browser
# kept it marked for every later test of the worker, and their `asyncio.run()` failed.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium found: install Debian's chromium (apt-get install chromium) or set "
            "FAKEHUB_CHROMIUM to a Chromium binary"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is missing (pip install -e .[test])"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


class Console:
    """What the page said in its console (errors only) and any uncaught exception."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.expected: list[str] = []

    def expect(self, fragment: str) -> None:
        """A console error containing ``fragment`` is part of the test (e.g. a 401 answer)."""
        self.expected.append(fragment)

    def on_message(self, message: Any) -> None:
        if message.type == "error" and not any(f in message.text for f in self.expected):
            self.errors.append(f"console error: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error}")


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(
    browser: Any, live: ServerThread, console: Console, request: pytest.FixtureRequest
) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live.url)
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    opened.on("console", console.on_message)
    opened.on("pageerror", console.on_page_error)
    yield opened
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    opened.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert console.errors == [], "the browser console reported errors"
