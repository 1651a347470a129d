"""Buckets with the real 2.4.0 client and its `hf buckets` CLI (files travel through Xet)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fakehub.server import ServerThread
from tests.clients.driver import ClientWorker

pytestmark = pytest.mark.clients("2.4.0")
BUCKET = "fakeuser/artifacts"
BLOB = random.Random(5).randbytes(400_000)

SYNC = """
import os, tempfile
folder = tempfile.mkdtemp()
os.makedirs(folder + "/sub")
open(folder + "/a.txt", "w").write("hello")
open(folder + "/sub/b.bin", "wb").write(bytes(blob))
api.sync_bucket(folder, "hf://buckets/" + bucket)
back = tempfile.mkdtemp()
api.sync_bucket("hf://buckets/" + bucket, back)
got = tempfile.mkdtemp()
api.download_bucket_files(bucket, [("sub/b.bin", got + "/b.bin")])
result = {
    "tree": sorted((f.path, getattr(f, "size", None)) for f in
                   api.list_bucket_tree(bucket, recursive=True)),
    "top": sorted(f.path for f in api.list_bucket_tree(bucket)),
    "info": [(f.path, f.size) for f in api.get_bucket_paths_info(bucket, ["a.txt", "nope"])],
    "synced": open(back + "/sub/b.bin", "rb").read() == bytes(blob),
    "downloaded": open(got + "/b.bin", "rb").read() == bytes(blob),
}
"""


def test_bucket_lifecycle_and_files(hf: ClientWorker, live: ServerThread) -> None:
    url = hf.exec("result = api.create_bucket(bucket, private=True).url", bucket=BUCKET)
    assert url.endswith("/buckets/fakeuser/artifacts")
    got = hf.exec(SYNC, bucket=BUCKET, blob=list(BLOB))
    assert got["synced"] and got["downloaded"]
    assert got["tree"] == [["a.txt", 5], ["sub", None], ["sub/b.bin", len(BLOB)]]
    assert got["top"] == ["a.txt", "sub"]
    assert got["info"] == [["a.txt", 5]]
    info = hf.call("bucket_info", BUCKET)
    assert (info["id"], info["private"], info["total_files"]) == (BUCKET, True, 2)
    assert info["size"] == len(BLOB) + 5
    listed = hf.exec("result = [b.id for b in api.list_buckets()]")
    assert listed == [BUCKET]
    hf.call("batch_bucket_files", BUCKET, delete=["a.txt"])
    hf.call("update_bucket_settings", BUCKET, private=False)
    hf.call("move_bucket", BUCKET, "fakeuser/moved")
    moved = hf.call("bucket_info", "fakeuser/moved")
    assert (moved["private"], moved["total_files"]) == (False, 1)
    hf.call("delete_bucket", "fakeuser/moved")
    missing = hf.exec(
        "try:\n    api.bucket_info('fakeuser/moved')\n    result = None\n"
        "except Exception as e:\n    result = type(e).__name__"
    )
    assert missing == "BucketNotFoundError"


def test_hf_buckets_cli(hf: ClientWorker, live: ServerThread, tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_text("print('hi')\n")
    created = hf.cli("buckets", "create", BUCKET)
    assert created.returncode == 0, created.stderr
    up = hf.cli("buckets", "cp", str(source), f"hf://buckets/{BUCKET}/code/train.py")
    assert up.returncode == 0, up.stderr
    listed = hf.cli("buckets", "ls", BUCKET, "-R")
    assert listed.returncode == 0 and "code/train.py" in listed.stdout, listed.stderr
    down = tmp_path / "back.py"
    got = hf.cli("buckets", "cp", f"hf://buckets/{BUCKET}/code/train.py", str(down))
    assert got.returncode == 0, got.stderr
    assert down.read_text() == "print('hi')\n"
    removed = hf.cli("buckets", "rm", f"{BUCKET}/code/train.py", "-y")
    assert removed.returncode == 0, removed.stderr
    bucket = live.hub.bucket_store.get(BUCKET)
    assert bucket is not None and bucket.files == {}
