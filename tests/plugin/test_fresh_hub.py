"""Every test starts from a fresh hub, though the fixture skips resets that would change nothing.

The fixture does not rebuild the hub when nothing can have touched it since its last reset
(same configuration, manual clock, no scenario, no request to the app, no control used, the
hub never handed out). Each test below that leaves something behind, by one path, is followed
by one that checks it finds nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fakehub_pytest_plugin.backend import LocalBackend
from fakehub_pytest_plugin.settings import Settings

from fakehub import Policy
from tests.plugin.conftest import Inner

LEFT_BEHIND = """
import httpx
import pytest

START = "2026-01-01T00:00:00+00:00"
AUTH = {"authorization": "Bearer hf_fake_write"}


def fresh(fake_hub):
    assert fake_hub.now.isoformat() == START
    assert [s.id for s in fake_hub.api.list_spaces(author="fakeuser")] == []
    assert fake_hub.control.faults() == []
    assert fake_hub.policies == {"space": "timed", "job": "timed"}


def test_01_nothing(fake_hub):
    pass


def test_02_fresh(fake_hub):
    fresh(fake_hub)


def test_03_write_in_process(fake_hub):
    fake_hub.api.create_repo("fakeuser/a", repo_type="space", space_sdk="static")


def test_04_fresh(fake_hub):
    fresh(fake_hub)


def test_05_write_over_the_socket(fake_hub):
    body = {"type": "space", "name": "b", "organization": "fakeuser", "sdk": "static"}
    r = httpx.post(fake_hub.endpoint + "/api/repos/create", json=body, headers=AUTH)
    assert r.status_code == 200, r.text


def test_06_fresh(fake_hub):
    fresh(fake_hub)


def test_07_a_read_is_logged(fake_hub):
    assert httpx.get("https://huggingface.co/api/whoami-v2", headers=AUTH).status_code == 200


def test_08_the_log_starts_empty(fake_hub):
    assert fake_hub.control.request_log()["requests"] == []


def test_09_the_hub_itself(fake_hub):
    fake_hub.hub.advance(3600)


def test_10_fresh(fake_hub):
    fresh(fake_hub)


def test_11_the_handle(fake_hub):
    fake_hub.set_policy("space", "instant")


def test_12_fresh(fake_hub):
    fresh(fake_hub)


def test_13_the_control_api(fake_hub):
    fake_hub.control.add_fault(route="/api/whoami-v2", status=503)


def test_14_fresh(fake_hub):
    fresh(fake_hub)


@pytest.mark.fake_hub(start="2030-01-01T00:00:00Z", space_policy="instant")
def test_15_other_settings(fake_hub):
    assert fake_hub.now.year == 2030


def test_16_fresh(fake_hub):
    fresh(fake_hub)


def test_17_the_clock_read_through_the_handle(fake_hub):
    assert fake_hub.now.isoformat() == START


def test_18_fresh(fake_hub):
    fresh(fake_hub)
"""


@pytest.mark.clients("2.4.0")
def test_whatever_a_test_leaves_behind_the_next_does_not_see(
    pytester: pytest.Pytester, inner: Inner
) -> None:
    pytester.makepyfile(test_left_behind=LEFT_BEHIND)
    result = inner("-p", "no:randomly")
    result.assert_outcomes(passed=18)


@pytest.fixture(scope="module")
def backend() -> Iterator[LocalBackend]:
    local = LocalBackend()
    yield local
    local.close()


def test_a_reset_that_would_change_nothing_is_skipped(backend: LocalBackend) -> None:
    settings = Settings()
    backend.reset(settings)
    built = backend._hub.spaces
    backend.reset(settings)
    assert backend._hub.spaces is built
    backend.reset(Settings())  # equal settings, another object
    assert backend._hub.spaces is built


@pytest.fixture
def own_backend() -> Iterator[LocalBackend]:
    """A backend of its own, for a test that makes a request over the socket: the server counts
    it done a moment after the client has its answer, and a test sharing the module's backend
    that ran next would see a request still being answered (its reset rightly real)."""
    local = LocalBackend()
    yield local
    local.close()


def test_any_request_makes_the_next_reset_real(own_backend: LocalBackend) -> None:
    backend = own_backend
    settings = Settings()
    backend.reset(settings)
    built = backend._hub.spaces
    assert httpx.get(backend.endpoint + "/api/spaces").status_code == 200
    backend.reset(settings)
    assert backend._hub.spaces is not built


def test_a_request_still_being_answered_makes_every_reset_real(backend: LocalBackend) -> None:
    settings = Settings()
    backend._changes.arrived += 1  # as the app does when a request arrives
    try:
        backend.reset(settings)
        built = backend._hub.spaces
        backend.reset(settings)  # the request may have changed the hub since
        assert backend._hub.spaces is not built
    finally:
        backend._changes.done += 1
    backend.reset(settings)
    built = backend._hub.spaces
    backend.reset(settings)
    assert backend._hub.spaces is built


@pytest.mark.parametrize(
    "touch",
    [
        lambda b: b.hub,
        lambda b: b.now_ns(),
        lambda b: b.advance(1),
        lambda b: b.policies(),
        lambda b: b.set_policy("job", Policy.parse("timed")),
    ],
    ids=["hub", "now_ns", "advance", "policies", "set_policy"],
)
def test_touching_the_hub_makes_the_next_reset_real(backend: LocalBackend, touch: object) -> None:
    settings = Settings()
    backend.reset(settings)
    built = backend._hub.spaces
    touch(backend)  # type: ignore[operator]
    backend.reset(settings)
    assert backend._hub.spaces is not built


@pytest.mark.parametrize(
    "values",
    [{"clock": "realtime"}, {"scenario": "happy-deploy"}],
    ids=["realtime-clock", "scenario"],
)
def test_a_moving_clock_or_a_scenario_always_resets(backend: LocalBackend, values: dict) -> None:
    settings = Settings(values)
    scenario = settings.scenario_path(None)
    backend.reset(settings, scenario)
    built = backend._hub.spaces
    backend.reset(settings, scenario)
    assert backend._hub.spaces is not built
    backend.reset(Settings())
