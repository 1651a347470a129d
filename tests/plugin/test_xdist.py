"""Under pytest-xdist every worker has its own fake; tests never see each other's state."""

from __future__ import annotations

import json

import pytest

from tests.plugin.conftest import Inner

MODULE = """
import json
import os
from pathlib import Path

import pytest
from huggingface_hub import HfApi


@pytest.mark.parametrize("n", range(8))
def test_same_space_name_everywhere(fake_hub, n):
    api = HfApi()
    api.create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    assert [s.id for s in api.list_spaces(author="fakeuser")] == ["fakeuser/demo"]
    fake_hub.advance("1h")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with Path("endpoints.jsonl").open("a") as log:
        log.write(json.dumps({"worker": worker, "endpoint": fake_hub.endpoint}) + "\\n")
"""


def test_one_fake_per_worker(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_parallel=MODULE)
    result = inner("-n", "2")
    result.assert_outcomes(passed=8)
    lines = (pytester.path / "endpoints.jsonl").read_text().splitlines()
    by_worker: dict[str, set[str]] = {}
    for line in lines:
        entry = json.loads(line)
        by_worker.setdefault(entry["worker"], set()).add(entry["endpoint"])
    assert set(by_worker) == {"gw0", "gw1"}
    # One server per worker, started once and reused by all of that worker's tests.
    assert all(len(endpoints) == 1 for endpoints in by_worker.values())
    assert by_worker["gw0"] != by_worker["gw1"]
