"""The bill on the handle, and failing a test that leaves paid hardware running."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

MODULE = """
import pytest
from huggingface_hub import HfApi


def start_gpu_space(api):
    api.create_repo("fakeuser/gpu", repo_type="space", space_sdk="gradio",
                    space_hardware="t4-small")
    api.upload_file(path_or_fileobj=b"import gradio", path_in_repo="app.py",
                    repo_id="fakeuser/gpu", repo_type="space")


@pytest.mark.fake_hub(space_policy="instant")
def test_the_bill_accrues_while_the_gpu_runs(fake_hub):
    start_gpu_space(HfApi())
    fake_hub.advance("1h")
    report = fake_hub.billing()  # the same BillingReport as hub.billing(), as the README shows
    assert report.total_micro_usd == 60 * 6667  # t4-small: $0.40/h, billed per minute
    assert report.cost_micro_usd("space:fakeuser/gpu") == report.total_micro_usd
    assert report == fake_hub.hub.billing()
    (running,) = fake_hub.paid_hardware_running()
    assert (running.id, running.flavor) == ("fakeuser/gpu", "t4-small")
    with pytest.raises(AssertionError, match="space fakeuser/gpu on t4-small"):
        fake_hub.assert_no_paid_hardware_running()
    HfApi().pause_space("fakeuser/gpu")
    fake_hub.assert_no_paid_hardware_running()


@pytest.mark.fake_hub(space_policy="instant", fail_on_paid_hardware=True)
def test_leaving_a_gpu_on_fails_the_test(fake_hub):
    start_gpu_space(HfApi())


@pytest.mark.fake_hub(space_policy="instant", fail_on_paid_hardware=True)
def test_pausing_it_passes(fake_hub):
    start_gpu_space(HfApi())
    HfApi().pause_space("fakeuser/gpu")
"""


@pytest.mark.clients("2.4.0")
def test_billing_helpers(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=MODULE)
    result = inner("-v")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        ["*fake_hub: paid hardware is still running:*", "*space fakeuser/gpu on t4-small*"]
    )
