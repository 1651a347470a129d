"""Blobs are state too: LFS, Xet and bucket uploads survive a kill -9 of ``serve --state``.

The real ``huggingface_hub`` 2.4.0 (with the native ``hf_xet``) uploads to a real ``fakehub serve
--state`` subprocess: a Space file through classic LFS (``HF_HUB_DISABLE_XET``), one through Xet
(xorbs and a shard), and a bucket file (Xet). The server is killed with SIGKILL, restarted on the
same file and port, and the same client downloads the bytes back.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.state_server import StateServer, serving

SIZE = 1_500_000
CLIENT = """
import hashlib, json, os, random, sys, tempfile
import huggingface_hub as hf
from huggingface_hub import HfApi
api = HfApi()
step, blobs = sys.argv[1], {name: random.Random(seed).randbytes(int(sys.argv[2]))
                            for seed, name in enumerate(["lfs.bin", "xet.bin", "bucket.bin"])}
def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()
if step == "upload":
    api.create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    hf.constants.HF_HUB_DISABLE_XET = True
    api.upload_file(path_or_fileobj=blobs["lfs.bin"], path_in_repo="lfs.bin",
                    repo_id="fakeuser/demo", repo_type="space")
    hf.constants.HF_HUB_DISABLE_XET = False
    api.upload_file(path_or_fileobj=blobs["xet.bin"], path_in_repo="xet.bin",
                    repo_id="fakeuser/demo", repo_type="space")
    api.create_bucket("fakeuser/artifacts")
    folder = tempfile.mkdtemp()
    with open(folder + "/bucket.bin", "wb") as handle:
        handle.write(blobs["bucket.bin"])
    api.sync_bucket(folder, "hf://buckets/fakeuser/artifacts")
    result = {name: hashlib.sha256(data).hexdigest() for name, data in blobs.items()}
else:
    cache, got = tempfile.mkdtemp(), tempfile.mkdtemp()
    result = {name: digest(hf.hf_hub_download("fakeuser/demo", name, repo_type="space",
                                              cache_dir=cache)) for name in ("lfs.bin", "xet.bin")}
    api.download_bucket_files("fakeuser/artifacts", [("bucket.bin", got + "/bucket.bin")])
    result["bucket.bin"] = digest(got + "/bucket.bin")
print(json.dumps(result))
"""


def _client(server: StateServer, step: str, home: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "HF_ENDPOINT": server.url,
        "HF_TOKEN": server.token,
        "HF_HOME": str(home),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_XET": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, step, str(SIZE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _routes_used(server: StateServer) -> set[str]:
    logged = server.client.get("/_fakehub/requests").json()["requests"]
    return {f"{item['method']} {item['path']}" for item in logged}


@pytest.mark.parametrize("snapshot_every", ["5000", "2"], ids=["journal", "snapshot"])
def test_uploaded_bytes_are_read_back_after_a_sigkill(tmp_path: Path, snapshot_every: str) -> None:
    path = tmp_path / "state.db"
    with serving(path, "--snapshot-every", snapshot_every) as server:
        sent = _client(server, "upload", tmp_path / "home-1")
        used = _routes_used(server)
        assert any(r.startswith("PUT /lfs-objects/") for r in used), used  # classic LFS
        assert any("/v1/xorbs/" in r for r in used) and any("/v1/shards" in r for r in used)
        server.kill()
        port = server.port
    with serving(path, port=port) as again:
        assert _client(again, "download", tmp_path / "home-2") == sent
        assert hashlib.sha256(b"").hexdigest() not in sent.values()
