"""``@pytest.mark.fake_hub(scenario=...)``: a test starts from a shipped scenario or a file."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

MODULE = """
import pytest
from huggingface_hub import HfApi


@pytest.mark.fake_hub(scenario="sleep-and-wake")
def test_a_shipped_scenario(fake_hub):
    api = HfApi()
    assert api.get_space_runtime("fakeuser/sleepy").stage == "RUNNING"
    fake_hub.advance("1h")
    assert api.get_space_runtime("fakeuser/sleepy").stage == "SLEEPING"


@pytest.mark.fake_hub(scenario="my-story.yaml", space_policy="instant")
def test_a_scenario_file_next_to_the_test_with_a_policy_on_top(fake_hub):
    assert fake_hub.policies["space"] == "instant"
    assert HfApi().get_space_runtime("fakeuser/mine").stage == "RUNNING"


def test_the_next_test_starts_plain(fake_hub):
    assert [s.id for s in HfApi().list_spaces(author="fakeuser")] == []


@pytest.mark.fake_hub(scenario="no-such-story")
def test_an_unknown_scenario_is_named(fake_hub):
    pass
"""

STORY = """
version: 1
name: mine
spaces:
  - id: fakeuser/mine
    sdk: gradio
    files: {app.py: "import gradio"}
"""


@pytest.mark.clients("0.20.3", "2.4.0")
def test_scenario_marker(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=MODULE)
    pytester.makefile(".yaml", **{"my-story": STORY})
    result = inner("-v")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*scenario: no-such-story: no shipped scenario by that name*"])
