"""Bucket routes over HTTP: permissions as repos, atomic batches, tree, resolve."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.config import TokenSpec, UserSpec, default_users
from tests.conftest import READ, WRITE
from tests.xet_builder import Upload, build_upload

OTHER = {"authorization": "Bearer hf_other"}
B = "/api/buckets/fakeuser/data"
DATA = random.Random(9).randbytes(20_000)


@pytest.fixture
def api() -> Iterator[TestClient]:
    users = (*default_users(), UserSpec("other", tokens=(TokenSpec("hf_other"),)))
    hub = FakeHub(HubConfig(users=users))
    with TestClient(create_app(hub), base_url="http://fake.test") as client:
        client.headers.update(WRITE)
        yield client


def _upload(api: TestClient, bucket: str = "fakeuser/data") -> Upload:
    upload = build_upload(DATA)
    token = api.get(f"/api/buckets/{bucket}/xet-write-token").json()["accessToken"]
    auth = {"authorization": f"Bearer {token}"}
    api.post(f"/xet-cas/v1/xorbs/default/{upload.xorb_name}", content=upload.xorb, headers=auth)
    assert api.post("/xet-cas/v1/shards", content=upload.shard, headers=auth).status_code == 200
    return upload


def _batch(api: TestClient, *ops: dict[str, object], bucket: str = B) -> object:
    body = "".join(json.dumps(op) + "\n" for op in ops)
    return api.post(
        f"{bucket}/batch", content=body, headers={"content-type": "application/x-ndjson"}
    )


def test_private_buckets_are_invisible_to_others(api: TestClient) -> None:
    created = api.post(B, json={"visibility": "private"})
    assert (
        created.status_code == 200
        and created.json()["url"] == "http://fake.test/buckets/fakeuser/data"
    )
    assert api.post(B, json={}).status_code == 409
    for response in (
        api.get(B, headers=OTHER),
        api.get(f"{B}/tree", headers=OTHER),
        api.get(f"{B}/xet-read-token", headers=OTHER),
        api.head("/buckets/fakeuser/data/resolve/x", headers=OTHER),
    ):
        assert response.status_code == 404
    assert api.get(B, headers=OTHER).headers["x-error-code"] == "RepoNotFound"
    assert api.get("/api/buckets/fakeuser", headers=OTHER).json() == []
    assert api.get(B, headers=READ).status_code == 200  # the owner's read token sees it
    assert api.delete(B, headers=READ).status_code == 403
    assert api.post("/api/buckets/fakeuser/x", json={}, headers=OTHER).status_code == 403
    api.put(f"{B}/settings", json={"private": False})
    assert api.get(B, headers=OTHER).json()["private"] is False
    assert api.get(f"{B}/xet-write-token", headers=OTHER).status_code == 403


def test_batch_is_all_or_nothing(api: TestClient) -> None:
    api.post(B, json={})
    upload = _upload(api)
    bad = _batch(
        api,
        {"type": "addFile", "path": "ok.bin", "xetHash": upload.file_id, "mtime": 1},
        {"type": "addFile", "path": "x.bin", "xetHash": "0" * 64, "mtime": 1},
        {"type": "deleteFile", "path": "missing.txt"},
    )
    assert bad.status_code == 422  # type: ignore[attr-defined]
    failed = bad.json()["failed"]  # type: ignore[attr-defined]
    assert [f["path"] for f in failed] == ["x.bin", "missing.txt"]
    assert api.get(B).json()["totalFiles"] == 0
    good = _batch(
        api, {"type": "addFile", "path": "dir/ok.bin", "xetHash": upload.file_id, "mtime": 1000}
    )
    assert good.status_code == 200  # type: ignore[attr-defined]
    tree = api.get(f"{B}/tree/dir").json()
    assert tree[0]["path"] == "dir/ok.bin" and tree[0]["xetHash"] == upload.file_id
    assert tree[0]["mtime"] == "1970-01-01T00:00:01.000Z"
    head = api.head("/buckets/fakeuser/data/resolve/dir%2Fok.bin")
    assert head.headers["x-xet-hash"] == upload.file_id
    assert head.headers["x-linked-size"] == str(len(DATA))
    assert api.get("/buckets/fakeuser/data/resolve/dir/ok.bin").content == DATA
    assert api.get(f"{B}/tree/nope").json() == []


def test_add_needs_an_upload_to_this_bucket_and_copy_a_readable_source(api: TestClient) -> None:
    api.post(B, json={})
    api.post("/api/buckets/fakeuser/other", json={"visibility": "private"})
    upload = _upload(api, "fakeuser/other")
    foreign = _batch(api, {"type": "addFile", "path": "a", "xetHash": upload.file_id})
    assert foreign.status_code == 422  # type: ignore[attr-defined]
    _batch(
        api,
        {"type": "addFile", "path": "a", "xetHash": upload.file_id},
        bucket="/api/buckets/fakeuser/other",
    )
    copy = {
        "type": "copyFile",
        "path": "copied",
        "xetHash": upload.file_id,
        "sourceRepoType": "bucket",
        "sourceRepoId": "fakeuser/other",
    }
    assert _batch(api, copy).status_code == 200  # type: ignore[attr-defined]
    model = {**copy, "sourceRepoType": "model"}
    refused = _batch(api, model)
    assert refused.status_code == 400 and "models and datasets" in refused.json()["error"]  # type: ignore[attr-defined]
