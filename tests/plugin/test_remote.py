"""``--fakehub-url``: a server started elsewhere, reset and driven through its control API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakehub import FakeHub
from fakehub.server import ServerThread
from tests.plugin.conftest import Inner

MODULE = """
import pytest
from huggingface_hub import HfApi


@pytest.mark.parametrize("run", [1, 2])
def test_state_is_reset_through_the_control_api(fake_hub, run):
    api = HfApi()
    assert [s.id for s in api.list_spaces(author="fakeuser")] == []
    api.create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    assert fake_hub.now.isoformat() == "2026-01-01T00:00:00+00:00"
    fake_hub.advance("1h")


@pytest.mark.fake_hub(space_policy="per-poll(3)", job_policy="instant", start="2026-02-01T00:00:00Z")
def test_marker_is_applied_remotely(fake_hub, request):
    assert fake_hub.endpoint == request.config.getoption("fakehub_url")
    assert fake_hub.policies == {"space": "per-poll(3)", "job": "instant"}
    assert fake_hub.control.clock()["now"] == "2026-02-01T00:00:00.000Z"
    assert fake_hub.advance(90).isoformat() == "2026-02-01T00:01:30+00:00"
    with pytest.raises(RuntimeError, match="use fake_hub.control"):
        fake_hub.hub


@pytest.mark.fake_hub(seed=4)
def test_settings_the_control_api_cannot_apply_are_refused(fake_hub):
    pass


def test_unimplemented_route_is_reported(fake_hub):
    HfApi().model_info("gpt2")
"""


@pytest.fixture
def running_server() -> Iterator[ServerThread]:
    with ServerThread(FakeHub()) as server:
        yield server


def test_fakehub_url(pytester: pytest.Pytester, inner: Inner, running_server: ServerThread) -> None:
    pytester.makepyfile(test_remote=MODULE)
    result = inner("--fakehub-url", running_server.url, "-p", "no:randomly")
    result.assert_outcomes(passed=3, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*--fakehub-url: the control API cannot set ?'seed'? on a running server*"]
    )
    result.stdout.fnmatch_lines(["fakehub does not implement GET /api/models/gpt2 *"])


@pytest.mark.clients("2.4.0")
def test_fakehub_url_refuses_xdist(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_x="def test_x(fake_hub): pass")
    result = inner("--fakehub-url", "http://127.0.0.1:9", "-n", "2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--fakehub-url cannot be combined with pytest-xdist*"])


@pytest.mark.clients("2.4.0")
def test_fakehub_url_with_no_server(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_x="def test_x(fake_hub): pass")
    result = inner("--fakehub-url", "http://127.0.0.1:9")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--fakehub-url http://127.0.0.1:9: no fakehub server answers*"])


@pytest.mark.clients("2.4.0")
def test_fakehub_url_with_a_control_token(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(
        test_guarded="""
from huggingface_hub import HfApi

def test_drives_the_guarded_server(fake_hub):
    HfApi().create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    assert fake_hub.advance(60).isoformat() == "2026-01-01T00:01:00+00:00"
"""
    )
    with ServerThread(FakeHub(), control_token="ctl-secret") as server:
        result = inner("--fakehub-url", server.url, "--fakehub-control-token", "ctl-secret")
        result.assert_outcomes(passed=1)
        refused = inner("--fakehub-url", server.url)
        refused.assert_outcomes(errors=1)
        refused.stdout.fnmatch_lines(["*the server wants its control token*"])
