"""A user's test module that never imports fakehub reaches the fake, at every client version."""

from __future__ import annotations

import pytest

from tests.clients.versions import ClientVersion
from tests.plugin.conftest import Inner

USER_MODULE = """
import subprocess
import sys

import huggingface_hub
import pytest
from huggingface_hub import HfApi

MAJOR = int(huggingface_hub.__version__.split(".")[0])


def test_plain_hfapi(fake_hub):
    assert HfApi().whoami()["name"] == "fakeuser"


def test_module_level_functions(fake_hub):
    assert huggingface_hub.whoami()["name"] == "fakeuser"


def test_explicit_hub_endpoint(fake_hub):
    me = HfApi(endpoint="https://huggingface.co").whoami()
    assert [org["name"] for org in me["orgs"]] == ["fakeorg"]


def test_urls_come_back_on_the_host_the_client_used(fake_hub):
    url = HfApi(endpoint="https://hf.co").create_repo(
        "fakeuser/demo", repo_type="space", space_sdk="gradio"
    )
    assert str(url) == "https://hf.co/spaces/fakeuser/demo"


def test_handle_api(fake_hub):
    assert fake_hub.api.whoami()["name"] == fake_hub.user == "fakeuser"
    assert fake_hub.token == "hf_fake_write"


def test_subprocess_whoami(fake_hub):
    code = "import huggingface_hub; print(huggingface_hub.whoami()['name'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "fakeuser"


def test_other_hosts_are_refused_at_once(fake_hub):
    with pytest.raises(ConnectionError, match="the fake_hub fixture blocked GET https://example.com"):
        HfApi(endpoint="https://example.com").whoami()
    with pytest.raises(ConnectionError, match="fake_hub fixture blocked"):
        huggingface_hub.utils.get_session().get("https://pypi.org/pypi/huggingface_hub/json")
    assert len(fake_hub.blocked) == 2


def test_in_process_cli(fake_hub):
    if MAJOR == 0:
        pytest.skip("0.x has no click CLI to run in-process")
    from click.testing import CliRunner
    from huggingface_hub.cli.hf import app

    result = CliRunner().invoke(app, ["auth", "whoami"])
    assert result.exit_code == 0, result.output
    assert "fakeuser" in result.output


def test_zz_routing_is_restored_after_the_fixture():
    # Runs last: the client's own session factory is back, so huggingface.co is no longer routed.
    session = huggingface_hub.utils.get_session()
    if MAJOR == 0:
        assert "HubAdapter" not in type(session.get_adapter("https://huggingface.co")).__name__
    else:
        assert "HubTransport" not in type(session._transport).__name__
"""


def test_user_module_reaches_the_fake(
    pytester: pytest.Pytester, inner: Inner, client: ClientVersion
) -> None:
    pytester.makepyfile(test_user=USER_MODULE)
    result = inner("-p", "no:randomly")
    skipped = 1 if client.major == 0 else 0
    result.assert_outcomes(passed=9 - skipped, skipped=skipped)
