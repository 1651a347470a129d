"""The fakehub pytest plugin: the ``fake_hub`` fixture, its marker and options.

Loaded on install (entry point ``pytest11``). Nothing from fakehub is imported until a test
asks for ``fake_hub``, so the plugin costs nothing to tests that do not use it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .activation import Activation, Session
    from .handle import FakeHubHandle

_ACTIVE: pytest.StashKey[Activation] = pytest.StashKey()
_ITEM: pytest.StashKey[pytest.Item] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakehub", "fakehub: the fake_hub fixture")
    group.addoption(
        "--fakehub-url",
        metavar="URL",
        help="use this running fakehub server (e.g. from `fakehub serve`) instead of starting "
        "one; it is reset through its control API before every test",
    )
    group.addoption(
        "--fakehub-control-token",
        metavar="TOKEN",
        help="with --fakehub-url: the server's control token, if it was started with "
        "--control-token (default: $FAKEHUB_CONTROL_TOKEN)",
    )
    group.addoption(
        "--fakehub-space-policy",
        metavar="POLICY",
        help="progression of Spaces: timed, instant or per-poll(N) (a marker overrides it)",
    )
    group.addoption(
        "--fakehub-job-policy",
        metavar="POLICY",
        help="progression of Jobs: timed, instant or per-poll(N) (a marker overrides it)",
    )
    group.addoption("--fakehub-seed", type=int, metavar="N", help="seed for the fake's ids")
    group.addoption(
        "--fakehub-block-network",
        action="store_true",
        default=None,
        help="while fake_hub is active, every connection that is not the Hub (answered by the "
        "fake), loopback or in allow_hosts fails at once, naming the host",
    )
    from . import recording

    recording.add_options(group)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_hub(**settings): configure the fake for this test: space_policy, job_policy, "
        "durations, start, seed, users, clock, clock_speed, allow_hosts, block_network, replay, "
        "scenario, fail_on_paid_hardware",
    )
    workers = getattr(config.option, "numprocesses", None)
    if config.getoption("fakehub_url") and workers:
        raise pytest.UsageError(
            "--fakehub-url cannot be combined with pytest-xdist (-n): every worker would reset "
            "the one shared server under the others' feet; run without -n, or drop --fakehub-url"
        )
    _CONFIGS.append(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _CONFIGS:
        _CONFIGS.remove(config)


#: pytest configurations in force, innermost last (a pytester run in process nests one).
_CONFIGS: list[pytest.Config] = []


@pytest.fixture(scope="session")
def fake_hub_config() -> Mapping[str, Any]:
    """Override to configure ``fake_hub`` for a module or a whole suite (lowest precedence).

    The default (nothing) is session-scoped and read-only: pytest then looks it up from its
    cache for each test instead of setting it up and tearing it down again. An override may
    have any scope.
    """
    return _NOTHING


_NOTHING: Mapping[str, Any] = MappingProxyType({})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # fake_hub finds its test here rather than asking for ``request``: pytest builds a new
    # fixture definition for ``request`` each time a fixture in a test's closure asks for it
    # (cached or not), a third of what pytest spent on fake_hub. A test's fixtures are set up
    # in its setup phase, or later in the same test (``request.getfixturevalue``).
    item.config.stash[_ITEM] = item


@pytest.fixture(scope="session")
def _fake_hub_session() -> Iterator[Session]:
    """The fake this session (or xdist worker) uses, and where per-test HF_HOMEs go."""
    # No ``request``, ``pytestconfig`` or ``tmp_path_factory`` (which both ask for ``request``):
    # every test using fake_hub would pay for ``request`` (see pytest_runtest_setup).
    from .activation import Session, start_backend

    config = _CONFIGS[-1]
    backend = start_backend(
        config.getoption("fakehub_url"), config.getoption("fakehub_control_token")
    )
    yield Session(backend, _hf_homes(config), config)
    from fakehub.routing import close_shared_pools

    close_shared_pools()  # the routed clients' keep-alive connections to the fake
    backend.close()


def _hf_homes(config: pytest.Config) -> Path:
    """Where per-test HF_HOMEs go: pytest's temporary directory, as ``tmp_path_factory``."""
    factory = getattr(config, "_tmp_path_factory", None)  # what that fixture hands out
    if factory is not None:
        path: Path = factory.mktemp("fakehub-hf-home")
        return path
    import shutil
    import tempfile

    made = Path(tempfile.mkdtemp(prefix="fakehub-hf-home-"))
    config.add_cleanup(lambda: shutil.rmtree(made, ignore_errors=True))
    return made


@pytest.fixture
def fake_hub(fake_hub_config: Any, _fake_hub_session: Session) -> Iterator[FakeHubHandle]:
    """The fake Hub for this test: reset, and reached by every ``huggingface_hub`` call."""
    from .activation import Activation, settings_for
    from .recording import cassette_backend

    session = _fake_hub_session
    item = session.config.stash[_ITEM]
    backend = session.backend
    cassette = None
    try:
        settings = settings_for(item, fake_hub_config)
        cassette = cassette_backend(item, settings.values.get("replay"), backend)
        scenario = settings.scenario_path(item.path)
        activation = Activation(session, cassette or backend, settings, scenario)
    except ValueError as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        if cassette is not None:
            cassette.close_cassette()
        # Outside the except block, so the report shows only the message that names the key.
        pytest.fail(f"fake_hub: {problem}", pytrace=False)
    item.stash[_ACTIVE] = activation
    try:
        yield activation.handle
        if settings.values.get("fail_on_paid_hardware"):
            try:
                activation.handle.assert_no_paid_hardware_running()
            except AssertionError as exc:
                pytest.fail(f"fake_hub: {exc}", pytrace=False)
    finally:
        activation.close()
        if cassette is not None:
            cassette.close_cassette()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    activation = item.stash.get(_ACTIVE, None)
    if activation is not None:
        from .diagnostics import apply

        apply(report, activation.watch)
    return report
