"""Classic git-lfs over HTTP: batch, basic and multipart PUTs, verify, commit, resolve."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.domain.spaces.lfs import MULTIPART_THRESHOLD, PART_SIZE
from fakehub.domain.spaces.records import LfsPointer
from tests.conftest import READ, WRITE

BASE = "/api/spaces/fakeuser/demo"
GIT = "/spaces/fakeuser/demo.git/info/lfs/objects"
LFS = {"content-type": "application/vnd.git-lfs+json", "accept": "application/vnd.git-lfs+json"}


@pytest.fixture
def space(api: TestClient) -> None:
    created = api.post("/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"})
    assert created.status_code == 200


def _batch(api: TestClient, data: bytes, transfers: tuple[str, ...] = ("basic",)) -> Any:
    oid = hashlib.sha256(data).hexdigest()
    body = {
        "operation": "upload",
        "transfers": list(transfers),
        "objects": [{"oid": oid, "size": len(data)}],
        "hash_algo": "sha256",
        "ref": {"name": "main"},
    }
    return api.post(f"{GIT}/batch", json=body, headers=LFS)


def _commit_lfs(api: TestClient, path: str, data: bytes) -> Any:
    lines = [
        {"key": "header", "value": {"summary": "add", "description": ""}},
        {
            "key": "lfsFile",
            "value": {
                "path": path,
                "algo": "sha256",
                "oid": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            },
        },
    ]
    body = "".join(json.dumps(line) + "\n" for line in lines)
    return api.post(f"{BASE}/commit/main", content=body)


def _upload(api: TestClient, data: bytes) -> None:
    answer = _batch(api, data).json()["objects"][0]
    href = answer["actions"]["upload"]["href"].removeprefix("http://fake.test")
    assert api.put(href, content=data, headers={"authorization": ""}).status_code == 200
    verify = answer["actions"]["verify"]["href"].removeprefix("http://fake.test")
    check = api.post(verify, json={"oid": answer["oid"], "size": answer["size"]})
    assert check.status_code == 200


def test_basic_upload_commit_and_download(api: TestClient, space: None) -> None:
    data = bytes(range(256)) * 40
    batch = _batch(api, data)
    assert batch.status_code == 200 and batch.headers["content-type"].startswith(LFS["accept"])
    answer = batch.json()
    assert answer["transfer"] == "basic" and answer["hash_algo"] == "sha256"
    assert "signature=" in answer["objects"][0]["actions"]["upload"]["href"]
    _upload(api, data)
    again = _batch(api, data).json()["objects"][0]
    assert "actions" not in again  # the repo has it: nothing to upload
    assert _commit_lfs(api, "img/a.png", data).status_code == 200
    sha = hashlib.sha256(data).hexdigest()
    pointer = len(LfsPointer(sha, len(data)).pointer_text())
    head = api.head("/spaces/fakeuser/demo/resolve/main/img/a.png")
    assert head.headers["x-linked-etag"] == f'"{sha}"' and head.headers["etag"] == f'"{sha}"'
    assert head.headers["x-linked-size"] == str(len(data))
    assert head.headers["content-length"] == str(len(data))
    assert api.get("/spaces/fakeuser/demo/resolve/main/img/a.png").content == data
    tree = api.get(f"{BASE}/tree/main/img").json()
    assert tree[0]["lfs"] == {"oid": sha, "size": len(data), "pointerSize": pointer}
    info = api.post(f"{BASE}/paths-info/main", data={"paths": "img/a.png"}).json()
    assert info[0]["lfs"]["oid"] == sha and info[0]["size"] == len(data)
    space_info = api.get(f"{BASE}?blobs=true").json()
    sibling = next(s for s in space_info["siblings"] if s["rfilename"] == "img/a.png")
    assert sibling["lfs"] == {"sha256": sha, "size": len(data), "pointerSize": pointer}
    assert space_info["usedStorage"] >= len(data)
    preupload = api.post(
        f"{BASE}/preupload/main",
        json={"files": [{"path": "img/a.png", "sample": "AA==", "size": len(data)}]},
    )
    assert preupload.json()["files"][0] == {
        "path": "img/a.png",
        "uploadMode": "lfs",
        "shouldIgnore": False,
        "oid": sha,
    }


def test_multipart_upload_for_large_objects(api: TestClient, space: None) -> None:
    data = hashlib.sha256(b"seed").digest() * ((MULTIPART_THRESHOLD + PART_SIZE // 2) // 32)
    answer = _batch(api, data, ("basic", "multipart")).json()
    assert answer["transfer"] == "multipart"
    upload = answer["objects"][0]["actions"]["upload"]
    header = upload["header"]
    assert header["chunk_size"] == str(PART_SIZE)
    parts = sorted(k for k in header if k.isdigit())
    assert len(parts) == -(-len(data) // PART_SIZE)
    etags = []
    for index, key in enumerate(parts):
        piece = data[index * PART_SIZE : (index + 1) * PART_SIZE]
        put = api.put(header[key].removeprefix("http://fake.test"), content=piece)
        assert put.status_code == 200
        etags.append({"partNumber": index + 1, "etag": put.headers["etag"]})
    done = api.post(
        upload["href"].removeprefix("http://fake.test"),
        json={"oid": answer["objects"][0]["oid"], "parts": etags},
    )
    assert done.status_code == 200
    assert _commit_lfs(api, "big.bin", data).status_code == 200
    assert api.get("/spaces/fakeuser/demo/resolve/main/big.bin").content == data


def test_bad_uploads_change_nothing(api: TestClient, hub: FakeHub, space: None) -> None:
    data = b"\x00binary" * 100
    before = hub.dump()
    href = _batch(api, data).json()["objects"][0]["actions"]["upload"]["href"]
    href = href.removeprefix("http://fake.test")
    wrong = api.put(href, content=b"\x01" * len(data))
    assert wrong.status_code == 400 and "hash to" in wrong.json()["error"]
    href = _batch(api, data).json()["objects"][0]["actions"]["upload"]["href"]
    href = href.removeprefix("http://fake.test")
    short = api.put(href, content=data[:-1])
    assert short.status_code == 400 and "truncated upload" in short.json()["error"]
    assert api.put(href, content=data).status_code == 404  # a failed ticket is spent
    forged = api.put("/lfs-objects/x?signature=nope", content=data)
    assert forged.status_code == 404 and "ticket" in forged.json()["error"]
    verify = api.post(f"{GIT}/verify", json={"oid": hashlib.sha256(data).hexdigest(), "size": 1})
    assert verify.status_code == 404 and "never uploaded" in verify.json()["error"]
    assert _commit_lfs(api, "x.bin", data).status_code == 400
    after = hub.dump()
    assert after["storage"] == before["storage"]
    assert after["space_store"] == before["space_store"]


def test_batch_permissions(api: TestClient, space: None) -> None:
    data = b"\x00" * 10
    anonymous = api.post(
        f"{GIT}/batch",
        json={"operation": "upload", "objects": []},
        headers={**LFS, "authorization": ""},
    )
    assert anonymous.status_code == 401
    read_only = api.post(
        f"{GIT}/batch", json={"operation": "upload", "objects": []}, headers={**LFS, **READ}
    )
    assert read_only.status_code == 403
    bad = api.post(
        f"{GIT}/batch",
        json={"operation": "upload", "objects": [{"oid": "zz", "size": 1}]},
        headers={**LFS, **WRITE},
    )
    assert bad.status_code == 400 and "objects[0].oid" in bad.json()["error"]
    download = api.post(f"{GIT}/batch", json={"operation": "download", "objects": []})
    assert download.status_code == 501
    assert _batch(api, data).status_code == 200


def test_storage_cap_is_a_413() -> None:
    hub = FakeHub(HubConfig(max_storage_bytes=1000))
    with TestClient(create_app(hub), base_url="http://fake.test") as api:
        api.headers.update(WRITE)
        api.post("/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"})
        data = b"\x00" * 2000
        href = _batch(api, data).json()["objects"][0]["actions"]["upload"]["href"]
        full = api.put(href.removeprefix("http://fake.test"), content=data)
        assert full.status_code == 413 and "storage cap of 1000 bytes" in full.json()["error"]
        assert hub.storage.used_bytes == 0


def test_directory_storage(tmp_path: Any) -> None:
    hub = FakeHub(HubConfig(storage_dir=tmp_path))
    with TestClient(create_app(hub), base_url="http://fake.test") as api:
        api.headers.update(WRITE)
        api.post("/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"})
        data = b"\x00on disk" * 1000
        _upload(api, data)
        assert _commit_lfs(api, "d.bin", data).status_code == 200
        assert api.get("/spaces/fakeuser/demo/resolve/main/d.bin").content == data
        assert len(list((tmp_path / "objects").iterdir())) == 1
