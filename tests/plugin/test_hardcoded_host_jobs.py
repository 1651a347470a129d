"""0.36's ``run_job`` and ``fetch_job_logs`` ignore ``HF_ENDPOINT`` and call https://huggingface.co
directly; under ``fake_hub`` they still reach the fake, because the plugin routes the client's own
HTTP session whatever host it asks for."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

MODULE = """
import pytest
from huggingface_hub import HfApi


@pytest.mark.fake_hub(job_policy="instant")
def test_run_job_and_its_logs(fake_hub):
    api = HfApi()
    job = api.run_job(image="python:3.12", command=["python", "-c", "print(1)"])
    assert api.inspect_job(job_id=job.id).status.stage == "COMPLETED"
    logs = list(api.fetch_job_logs(job_id=job.id))
    assert logs[-1] == "fakehub: exited with code 0"
    assert any(r.url.startswith("https://huggingface.co/api/jobs/") for r in fake_hub.requests)
"""


@pytest.mark.clients("0.36.2", "2.4.0")
def test_hard_coded_host_jobs_reach_the_fake(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=MODULE)
    result = inner("-q")
    result.assert_outcomes(passed=1)
