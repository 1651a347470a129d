"""Binary files under the fixture: in-process through LFS (routed), subprocesses through Xet."""

from __future__ import annotations

import pytest

from tests.clients.versions import ClientVersion
from tests.plugin.conftest import Inner

USER_MODULE = """
import os
import subprocess
import sys

from huggingface_hub import HfApi, hf_hub_download

PNG = bytes(range(256)) * 64


def test_upload_and_download_a_binary_file(fake_hub, tmp_path):
    api = HfApi()
    api.create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    api.upload_file(path_or_fileobj=PNG, path_in_repo="example.png", repo_id="fakeuser/demo",
                    repo_type="space")
    got = hf_hub_download("fakeuser/demo", "example.png", repo_type="space",
                          cache_dir=str(tmp_path))
    assert open(got, "rb").read() == PNG
    code = (
        "import sys, huggingface_hub as h; "
        "p = h.hf_hub_download('fakeuser/demo', 'example.png', repo_type='space'); "
        "h.HfApi().upload_file(path_or_fileobj=p, path_in_repo='copy.png', "
        "repo_id='fakeuser/demo', repo_type='space'); print(open(p, 'rb').read() == bytes(range(256)) * 64)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr
    assert {f.path for f in api.list_repo_tree("fakeuser/demo", repo_type="space")} >= {
        "example.png", "copy.png"}
"""


@pytest.mark.clients("0.20.3", "2.4.0")
def test_binary_files_under_the_fixture(
    pytester: pytest.Pytester, inner: Inner, client: ClientVersion
) -> None:
    pytester.makepyfile(test_user=USER_MODULE)
    result = inner("-p", "no:randomly")
    result.assert_outcomes(passed=1)
