"""A Space with binary and large files, uploaded and downloaded by the real client.

Classic LFS: 0.20.3 (no ``hf_xet``) and 1.28.0 / 2.4.0 with ``HF_HUB_DISABLE_XET``. Xet (the
unmodified native ``hf_xet``): 0.36.2 (offered in the LFS batch request, picked by the fake),
1.28.0 and 2.4.0 (straight to the token route).
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from typing import Any

import pytest

from fakehub.domain.spaces.records import LfsPointer
from fakehub.server import ServerThread
from tests.clients.driver import ClientWorker

SPACE = "fakeuser/demo"
APP = "import gradio as gr\n\ngr.Interface(lambda x: x, 'image', 'image').launch()\n"
BIG = 20 * 1000 * 1000


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = _png()

# Runs in the client's interpreter: writes the folder, uploads it, downloads everything back.
ROUND_TRIP = """
import hashlib, os, random, tempfile
folder = tempfile.mkdtemp()
files = {"app.py": app.encode(), "example.png": bytes(png),
         "weights/blob.bin": random.Random(12).randbytes(big)}
for name, data in files.items():
    os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
    with open(os.path.join(folder, name), "wb") as handle:
        handle.write(data)
previous = getattr(hf.constants, "HF_HUB_DISABLE_XET", False)
hf.constants.HF_HUB_DISABLE_XET = disable_xet
try:
    api.upload_folder(folder_path=folder, repo_id=repo, repo_type="space")
    one = hf.hf_hub_download(repo, "weights/blob.bin", repo_type="space",
                             cache_dir=tempfile.mkdtemp())
    snap = hf.snapshot_download(repo, repo_type="space", cache_dir=tempfile.mkdtemp())
finally:
    hf.constants.HF_HUB_DISABLE_XET = previous
def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()
result = {
    "sent": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    "one": digest(one),
    "snapshot": {name: digest(os.path.join(snap, name)) for name in files},
}
"""


def _round_trip(hf: ClientWorker, disable_xet: bool) -> dict[str, Any]:
    hf.call("create_repo", SPACE, repo_type="space", space_sdk="gradio")
    got: dict[str, Any] = hf.exec(
        ROUND_TRIP, app=APP, png=list(PNG), big=BIG, repo=SPACE, disable_xet=disable_xet
    )
    blob = hashlib.sha256(random.Random(12).randbytes(BIG)).hexdigest()
    assert got["sent"]["weights/blob.bin"] == blob == got["one"]
    assert got["snapshot"] == got["sent"]
    return got


@pytest.mark.clients("0.20.3", "1.28.0", "2.4.0")
def test_lfs_space_with_binary_and_large_files(hf: ClientWorker, live: ServerThread) -> None:
    got = _round_trip(hf, disable_xet=True)
    _check_space(hf, live, got, xet=False)


@pytest.mark.clients("0.36.2", "1.28.0", "2.4.0")
def test_xet_space_with_binary_and_large_files(hf: ClientWorker, live: ServerThread) -> None:
    got = _round_trip(hf, disable_xet=False)
    _check_space(hf, live, got, xet=True)
    paths = [e.path for e in live.hub.request_log.find()]
    assert "/xet-cas/v1/shards" in paths and not any(p.startswith("/lfs-objects") for p in paths)


def _check_space(hf: ClientWorker, live: ServerThread, got: dict[str, Any], xet: bool) -> None:
    blob = got["sent"]["weights/blob.bin"]
    space = live.hub.space_store.get(SPACE)
    assert space is not None
    for path in ("example.png", "weights/blob.bin"):
        content = space.files[path]
        assert isinstance(content, LfsPointer) and content.sha256 == got["sent"][path]
        assert (content.xet_hash is not None) == xet
    assert space.files["app.py"] == APP.encode()
    live.hub.advance(600)
    assert hf.call("get_space_runtime", SPACE)["stage"] == "RUNNING"
    tree = hf.exec(
        "result = [(e.path, e.size, e.lfs and dict(e.lfs)) for e in "
        "api.list_repo_tree(repo, repo_type='space', recursive=True) if hasattr(e, 'size')]",
        repo=SPACE,
    )
    by_path = {path: (size, lfs) for path, size, lfs in tree}
    assert by_path["weights/blob.bin"][0] == BIG
    assert by_path["weights/blob.bin"][1]["sha256"] == blob
    assert by_path["app.py"][1] is None
    info = hf.exec(
        "result = [(e.path, e.lfs and dict(e.lfs)) for e in "
        "api.get_paths_info(repo, ['example.png', 'app.py'], repo_type='space')]",
        repo=SPACE,
    )
    assert dict(info)["example.png"]["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert dict(info)["app.py"] is None
