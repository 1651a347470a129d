"""The dashboard is served by the plugin's server too (open it while a test is paused)."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

MODULE = """
import httpx
from huggingface_hub import HfApi


def test_the_dashboard_and_its_data_are_served(fake_hub):
    HfApi().create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    page = httpx.get(fake_hub.endpoint + "/_fakehub/dashboard")
    assert page.status_code == 200 and "<title>fakehub dashboard</title>" in page.text
    spaces = httpx.get(fake_hub.endpoint + "/_fakehub/spaces").json()
    assert [s["id"] for s in spaces["items"]] == ["fakeuser/demo"]
"""


@pytest.mark.clients("2.4.0")
def test_dashboard_on_the_plugin_server(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=MODULE)
    inner("-v").assert_outcomes(passed=1)
