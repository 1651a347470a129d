"""Configuration order (marker, then command line, then ``fake_hub_config``) and isolation."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

CONFTEST = """
import pytest


@pytest.fixture
def fake_hub_config():
    return {"space_policy": "instant", "job_policy": "per-poll(4)", "seed": 3}
"""

ORDER_MODULE = """
import pytest

pytestmark = pytest.mark.fake_hub(job_policy="per-poll(2)")


def test_module_marker_over_option_over_fixture(fake_hub, request):
    option = request.config.getoption("fakehub_space_policy")
    # job_policy: module marker beats the option (if any) and the fixture.
    assert fake_hub.policies["job"] == "per-poll(2)"
    # space_policy: the option, when given, beats the fixture.
    assert fake_hub.policies["space"] == (option or "instant")


@pytest.mark.fake_hub(space_policy="per-poll(5)", start="2027-03-01T12:00:00Z")
def test_function_marker_beats_everything(fake_hub):
    assert fake_hub.policies == {"space": "per-poll(5)", "job": "per-poll(2)"}
    assert fake_hub.now.isoformat() == "2027-03-01T12:00:00+00:00"


@pytest.mark.fake_hub(users=["alice"])
def test_extra_users(fake_hub):
    alice = fake_hub.api_for("alice")
    assert alice.whoami()["name"] == "alice"
    assert fake_hub.token_for("alice", "read") == "hf_alice_read"


@pytest.mark.fake_hub(space_polcy="instant")
def test_unknown_setting_is_named(fake_hub):
    pass
"""

ISOLATION_MODULE = """
import pytest
from huggingface_hub import HfApi


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_starts_from_a_fresh_hub(fake_hub, run):
    api = HfApi()
    assert fake_hub.now.isoformat() == "2026-01-01T00:00:00+00:00"
    assert [s.id for s in api.list_spaces(author="fakeuser")] == []
    assert fake_hub.requests == [] or all(r.status < 400 for r in fake_hub.requests)
    api.create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    fake_hub.set_policy("space", "per-poll(9)")
    fake_hub.advance("10m")
    assert fake_hub.policies["space"] == "per-poll(9)"


def test_without_the_fixture_nothing_is_routed():
    import os

    assert "HF_TOKEN" not in os.environ or os.environ["HF_TOKEN"] != "hf_fake_write"
"""


def _order_module(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    # The unknown-key test uses the fixture through the marker only if it asks for it.
    pytester.makepyfile(
        test_order=ORDER_MODULE.replace(
            "def test_unknown_setting_is_named(fake_hub):",
            "def test_unknown_setting_is_named(fake_hub):",
        )
    )


def test_marker_then_option_then_fixture(pytester: pytest.Pytester, inner: Inner) -> None:
    _order_module(pytester)
    result = inner("--fakehub-space-policy", "per-poll(7)")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.re_match_lines(
        [
            r"fake_hub: @pytest.mark.fake_hub: unknown fake_hub setting\(s\) \['space_polcy'\]; known: "
        ]
    )
    result.stdout.no_fnmatch_line("*During handling*")


@pytest.mark.clients("2.4.0")
def test_fixture_config_alone(pytester: pytest.Pytester, inner: Inner) -> None:
    _order_module(pytester)
    result = inner("-k", "module_marker")
    result.assert_outcomes(passed=1, deselected=3)


def test_isolation_between_tests(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_isolation=ISOLATION_MODULE)
    result = inner()
    result.assert_outcomes(passed=3)
