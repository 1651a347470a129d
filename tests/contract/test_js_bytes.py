"""The npm client ``@huggingface/hub`` uploads and downloads a binary file through Xet."""

from __future__ import annotations

import random

from fakehub.domain.spaces.records import LfsPointer
from fakehub.server import ServerThread
from tests.clients.js import JsWorker

REPO = {"type": "space", "name": "fakeuser/demo"}
DATA = random.Random(21).randbytes(300_000)


def test_js_uploads_and_downloads_a_binary_file(js: JsWorker, live: ServerThread) -> None:
    js.run("await hub.createRepo({...opts, repo, sdk: 'gradio'})", repo=REPO)
    got = js.run(
        """
        await hub.uploadFile({...opts, repo, file: {path: 'w.bin', content: new Blob([data])}});
        const blob = await hub.downloadFile({...opts, repo, path: 'w.bin'});
        return new Uint8Array(await blob.arrayBuffer());
        """,
        repo=REPO,
        data=DATA,
    )
    assert got == DATA
    space = live.hub.space_store.get("fakeuser/demo")
    assert space is not None
    pointer = space.files["w.bin"]
    assert isinstance(pointer, LfsPointer) and pointer.xet_hash is not None
    paths = [e.path for e in live.hub.request_log.find()]
    assert "/xet-cas/v1/shards" in paths


def test_js_creates_a_bucket(js: JsWorker, live: ServerThread) -> None:
    js.run("await hub.createRepo({...opts, repo: {type: 'bucket', name: 'fakeuser/b'}})")
    assert live.hub.bucket_store.get("fakeuser/b") is not None
