"""Diagnostics: unimplemented routes and errors inside the fake fail the test, clearly."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

MODULE = """
import huggingface_hub
from huggingface_hub import HfApi


def test_unimplemented_route(fake_hub):
    HfApi().model_info("gpt2")


def test_unimplemented_route_swallowed_by_the_code_under_test(fake_hub):
    try:
        HfApi().model_info("gpt2")
    except Exception:
        pass


def test_exception_inside_the_fake(fake_hub):
    def explode(actor, repo_id):
        raise RuntimeError("kaboom in the runtime")

    # A bug inside the fake: the hub's own services are rebuilt at the next reset.
    fake_hub.hub.spaces.runtime = explode
    HfApi().get_space_runtime("fakeuser/demo")


def test_next_test_is_clean(fake_hub):
    assert HfApi().whoami()["name"] == "fakeuser"
"""


def test_failures_name_the_route_and_show_the_server_traceback(
    pytester: pytest.Pytester, inner: Inner
) -> None:
    pytester.makepyfile(test_reports=MODULE)
    result = inner("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=3)
    out = result.stdout
    out.fnmatch_lines(
        [
            "*_ test_unimplemented_route _*",
            "fakehub does not implement GET /api/models/gpt2 "
            "(huggingface_hub requested https://huggingface.co/api/models/gpt2).",
            "This Hub route is outside what fakehub fakes*",
            "----- the test's own failure -----",
        ]
    )
    out.fnmatch_lines(
        [
            "*_ test_unimplemented_route_swallowed_by_the_code_under_test _*",
            "fakehub does not implement GET /api/models/gpt2*",
        ]
    )
    out.fnmatch_lines(
        [
            "*_ test_exception_inside_the_fake _*",
            "fakehub raised inside the server while serving GET /api/spaces/fakeuser/demo/runtime *",
            "Traceback (most recent call last):",
            "*RuntimeError: kaboom in the runtime",
        ]
    )
    out.fnmatch_lines(["FAILED test_reports.py::test_unimplemented_route - fakehub does not*"])
