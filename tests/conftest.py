"""Fixtures shared by every test layer.

* ``hub`` — a fresh in-memory :class:`FakeHub` (unit tests, no HTTP).
* ``api`` — a Starlette ``TestClient`` over a fresh app (API tests, in-process HTTP).
* ``live`` — a loopback server shared by the session (one per xdist worker), reset per test.
* ``hf`` — the real ``huggingface_hub`` at each version of the matrix, pointed at ``live``;
  restrict with ``@pytest.mark.clients("1.28.0", "2.4.0")``.
* ``js`` — the npm client ``@huggingface/hub`` (``tests/clients/js.py``), pointed at ``live``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.config import DEFAULT_WRITE_TOKEN
from fakehub.server import ServerThread
from tests.clients.driver import ClientWorker
from tests.clients.js import JsWorker, missing_reason
from tests.clients.versions import ALL, BY_LABEL
from tests.schema_check import SchemaCheck

WRITE = {"authorization": f"Bearer {DEFAULT_WRITE_TOKEN}"}
READ = {"authorization": "Bearer hf_fake_read"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "clients(*versions): run an `hf` test only at these client versions"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Tests run in any order: one that starts with an event loop marked running in this thread
    # (left by a fixture of a wider scope) would fail on its first `asyncio.run()`, far from the
    # cause. Say so at once. Only the browser tests run inside Playwright's marked loop.
    if asyncio._get_running_loop() is not None and "browser" not in item.fixturenames:  # type: ignore[attr-defined]
        pytest.fail(
            "an event loop is marked running in this thread before the test started: a fixture "
            "of module or session scope left it (Playwright's sync API does, between calls)",
            pytrace=False,
        )


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(HubConfig())


def _fail_on(violations: list[str]) -> None:
    if violations:
        pytest.fail("answers that differ from the Hub's schema:\n" + "\n".join(violations[:20]))


@pytest.fixture
def api(hub: FakeHub) -> Iterator[TestClient]:
    app = create_app(hub)
    violations: list[str] = []
    app.add_middleware(SchemaCheck, violations=violations)
    with TestClient(app, base_url="http://fake.test") as client:
        client.headers.update(WRITE)
        yield client
    _fail_on(violations)


_LIVE_VIOLATIONS: list[str] = []


@pytest.fixture(scope="session")
def _live_server() -> Iterator[ServerThread]:
    server = ServerThread(FakeHub(HubConfig()))
    server.app.add_middleware(SchemaCheck, violations=_LIVE_VIOLATIONS)
    with server:
        yield server


@pytest.fixture
def live(_live_server: ServerThread) -> Iterator[ServerThread]:
    _live_server.hub.scenario = None
    _live_server.hub.reset(HubConfig())
    _live_server.app.state.server_errors.clear()
    _LIVE_VIOLATIONS.clear()
    yield _live_server
    _fail_on(_LIVE_VIOLATIONS)
    errors = list(_live_server.app.state.server_errors)
    if errors:
        pytest.fail("fakehub raised inside the server:\n" + "\n".join(e.traceback for e in errors))


_workers: dict[str, ClientWorker] = {}


def _worker(label: str, endpoint: str) -> ClientWorker:
    worker = _workers.get(label)
    if worker is None or worker.endpoint != endpoint:
        worker = ClientWorker(BY_LABEL[label], endpoint, DEFAULT_WRITE_TOKEN)
        _workers[label] = worker
    return worker


_js_workers: dict[str, JsWorker] = {}


def pytest_sessionfinish(session: pytest.Session) -> None:
    for worker in _workers.values():
        worker.close()
    _workers.clear()
    for js_worker in _js_workers.values():
        js_worker.close()
    _js_workers.clear()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "hf" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("clients")
    labels = list(marker.args) if marker else [v.label for v in ALL]
    unknown = [label for label in labels if label not in BY_LABEL]
    if unknown:
        raise pytest.UsageError(f"unknown client versions {unknown}; known: {list(BY_LABEL)}")
    metafunc.parametrize("hf", labels, indirect=True, ids=[f"hf{label}" for label in labels])


@pytest.fixture
def hf(request: pytest.FixtureRequest, live: ServerThread) -> ClientWorker:
    return _worker(request.param, live.url)


@pytest.fixture
def js(live: ServerThread) -> JsWorker:
    """The npm client ``@huggingface/hub`` (pinned in ``tests/js``) pointed at ``live``.

    Installed with ``npm ci`` on first use; skipped only where node or npm is absent.
    """
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    worker = _js_workers.get(live.url)
    if worker is None or not worker.alive:
        worker = JsWorker(live.url, DEFAULT_WRITE_TOKEN)
        _js_workers[live.url] = worker
    return worker
