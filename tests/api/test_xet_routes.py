"""Xet over HTTP: token routes, the CAS (xorbs, shards, dedupe, reconstructions), resolve."""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.storage.xet.hashes import hash_to_str
from fakehub.storage.xet.shard import parse_shard, serialize_shard
from fakehub.wire.control.requests import logged_request_json
from tests.conftest import READ, WRITE
from tests.xet_builder import Upload, build_shard, build_upload, build_xorb, split

BASE = "/api/spaces/fakeuser/demo"
CAS = "/xet-cas"
DATA = random.Random(3).randbytes(50_000)


@pytest.fixture
def space(api: TestClient) -> None:
    created = api.post("/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"})
    assert created.status_code == 200


def _token(api: TestClient, kind: str = "write", repo: str = "fakeuser/demo") -> dict[str, str]:
    answer = api.get(f"/api/spaces/{repo}/xet-{kind}-token/main")
    assert answer.status_code == 200, answer.text
    return {"authorization": f"Bearer {answer.json()['accessToken']}"}


def _upload(api: TestClient, upload: Upload, auth: dict[str, str]) -> None:
    xorb = api.post(f"{CAS}/v1/xorbs/default/{upload.xorb_name}", content=upload.xorb, headers=auth)
    assert xorb.status_code == 200 and xorb.json() == {"was_inserted": True}
    shard = api.post(f"{CAS}/v1/shards", content=upload.shard, headers=auth)
    assert shard.status_code == 200 and shard.json() == {"result": 1}


def _commit(api: TestClient, upload: Upload, path: str = "data.bin") -> Any:
    line = {"path": path, "algo": "sha256", "oid": upload.sha256, "size": len(upload.data)}
    body = json.dumps({"key": "header", "value": {"summary": "add"}}) + "\n"
    body += json.dumps({"key": "lfsFile", "value": line}) + "\n"
    return api.post(f"{BASE}/commit/main", content=body)


def test_token_routes_answer_json_and_headers(api: TestClient, space: None) -> None:
    answer = api.get(f"{BASE}/xet-write-token/main")
    body = answer.json()
    assert set(body) == {"casUrl", "accessToken", "exp"}
    assert body["casUrl"] == "http://fake.test/xet-cas" == answer.headers["x-xet-cas-url"]
    assert answer.headers["x-xet-access-token"] == body["accessToken"]
    assert answer.headers["x-xet-token-expiration"] == str(body["exp"])
    assert api.get(f"{BASE}/xet-write-token/main", headers=READ).status_code == 403
    assert api.get(f"{BASE}/xet-read-token/main", headers=READ).status_code == 200
    anonymous = api.get(f"{BASE}/xet-read-token/main", headers={"authorization": ""})
    assert anonymous.status_code == 200  # a public Space
    assert api.get("/api/spaces/fakeuser/nope/xet-read-token/main").status_code == 404
    assert api.get(f"{BASE}/xet-write-token/main?create_pr=1").status_code == 400


def test_upload_commit_download(api: TestClient, hub: FakeHub, space: None) -> None:
    upload = build_upload(DATA)
    auth = _token(api)
    _upload(api, upload, auth)
    again = api.post(
        f"{CAS}/v1/xorbs/default/{upload.xorb_name}", content=upload.xorb, headers=auth
    )
    assert again.json() == {"was_inserted": False}
    assert api.head(f"{CAS}/v1/xorbs/default/{upload.xorb_name}", headers=auth).status_code == 200
    assert _commit(api, upload).status_code == 200
    head = api.head("/spaces/fakeuser/demo/resolve/main/data.bin")
    assert head.headers["x-xet-hash"] == upload.file_id
    assert head.headers["x-linked-etag"] == f'"{upload.sha256}"'
    refresh = head.headers["x-xet-refresh-route"]
    assert "/xet-read-token/" in refresh and 'rel="xet-auth"' in head.headers["link"]
    # a client without hf_xet gets the bytes from resolve itself
    assert api.get("/spaces/fakeuser/demo/resolve/main/data.bin").content == DATA
    read = _token(api, "read")
    assert api.head(f"{CAS}/v1/files/{upload.file_id}", headers=read).headers[
        "content-length"
    ] == str(len(DATA))
    tree = api.get(f"{BASE}/tree/main").json()
    entry = next(e for e in tree if e["path"] == "data.bin")
    assert entry["xetHash"] == upload.file_id and entry["lfs"]["oid"] == upload.sha256


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_reconstruction_with_ranges(api: TestClient, space: None, version: str) -> None:
    upload = build_upload(DATA)
    _upload(api, upload, _token(api))
    read = _token(api, "read")
    url = f"{CAS}/{version}/reconstructions/{upload.file_id}"
    whole = api.get(url, headers=read).json()
    assert whole["offset_into_first_range"] == 0
    assert whole["terms"][0]["unpacked_length"] == len(DATA)
    if version == "v2":
        fetch = whole["xorbs"][upload.xorb_name][0]
        byte_range = fetch["ranges"][0]["bytes"]
    else:
        fetch = whole["fetch_info"][upload.xorb_name][0]
        byte_range = fetch["url_range"]
    start, end = byte_range["start"], byte_range["end"]
    got = api.get(
        fetch["url"].removeprefix("http://fake.test"),
        headers={"range": f"bytes={start}-{end}", "authorization": ""},
    )
    assert got.status_code == 206 and got.content == upload.xorb[start : end + 1]
    part = api.get(url, headers={**read, "range": "bytes=10000-10099"}).json()
    assert part["offset_into_first_range"] == 10000
    past = api.get(url, headers={**read, "range": f"bytes={len(DATA)}-"})
    assert past.status_code == 416
    forged = fetch["url"].removeprefix("http://fake.test").replace("Signature=", "Signature=0")
    assert api.get(forged, headers={"authorization": ""}).status_code == 403


def test_global_dedupe_answers_a_shard(api: TestClient, space: None) -> None:
    upload = build_upload(DATA)
    auth = _token(api)
    chunk = parse_shard(upload.shard).xorbs[0].chunks[1].hash
    missing = api.get(f"{CAS}/v1/chunks/default-merkledb/{hash_to_str(chunk)}", headers=auth)
    assert missing.status_code == 404
    _upload(api, upload, auth)
    found = api.get(f"{CAS}/v1/chunks/default/{hash_to_str(chunk)}", headers=auth)
    assert found.status_code == 200
    assert hash_to_str(parse_shard(found.content).xorbs[0].hash) == upload.xorb_name


def _bad_shards(upload: Upload) -> list[tuple[bytes, str]]:
    chunks = split(DATA)
    wrong_sha = serialize_shard(build_shard(chunks, "00" * 32))
    other_name, _ = build_xorb([b"never uploaded"])
    unknown = serialize_shard(build_shard([b"never uploaded"], None))
    shard = build_shard(chunks, upload.sha256)
    term = shard.files[0].terms[0]
    bigger = type(term)(term.xorb, term.unpacked_bytes + 1, term.chunk_start, term.chunk_end)
    wrong_size = serialize_shard(
        type(shard)(
            (
                type(shard.files[0])(
                    shard.files[0].hash, (bigger,), shard.files[0].verification, None
                ),
            ),
            shard.xorbs,
        )
    )
    return [
        (upload.shard[:-5], "truncated"),
        (wrong_sha, "sha256 it declares"),
        (unknown, f"names xorb {other_name}, which was never uploaded"),
        (wrong_size, "wrong size"),
    ]


def test_bad_uploads_change_nothing(api: TestClient, hub: FakeHub, space: None) -> None:
    upload = build_upload(DATA)
    auth = _token(api)
    before = hub.dump()
    wrong = api.post(f"{CAS}/v1/xorbs/default/{'0' * 64}", content=upload.xorb, headers=auth)
    assert wrong.status_code == 400 and f"hash to {upload.xorb_name}" in wrong.json()["error"]
    corrupt = bytearray(upload.xorb)
    corrupt[20] ^= 0xFF
    broken = api.post(
        f"{CAS}/v1/xorbs/default/{upload.xorb_name}", content=bytes(corrupt), headers=auth
    )
    assert broken.status_code == 400
    assert hub.dump()["storage"] == before["storage"]
    assert (
        api.post(
            f"{CAS}/v1/xorbs/default/{upload.xorb_name}", content=upload.xorb, headers=auth
        ).status_code
        == 200
    )
    stored = hub.dump()
    for body, message in _bad_shards(upload):
        refused = api.post(f"{CAS}/v1/shards", content=body, headers=auth)
        assert refused.status_code == 400 and message in refused.json()["error"], refused.text
    after = hub.dump()
    assert after["cas"] == stored["cas"] and after["space_store"] == before["space_store"]
    unknown_commit = _commit(api, upload)
    assert unknown_commit.status_code == 400 and upload.sha256 in unknown_commit.json()["error"]


def test_tokens_missing_expired_foreign_or_read_only(
    api: TestClient, hub: FakeHub, space: None
) -> None:
    upload = build_upload(DATA)
    url = f"{CAS}/v1/xorbs/default/{upload.xorb_name}"
    assert api.post(url, content=upload.xorb, headers={"authorization": ""}).status_code == 401
    assert (
        api.post(url, content=upload.xorb, headers={"authorization": "Bearer xet_nope"}).status_code
        == 401
    )
    assert api.post(url, content=upload.xorb, headers=_token(api, "read")).status_code == 403
    api.post("/api/repos/create", json={"name": "other", "type": "space", "sdk": "gradio"})
    foreign = _token(api, "write", "fakeuser/other")
    _upload(api, upload, foreign)  # registered in fakeuser/other, not in fakeuser/demo
    assert _commit(api, upload).status_code == 400
    read = _token(api, "read")
    assert api.get(f"{CAS}/v2/reconstructions/{upload.file_id}", headers=read).status_code == 404
    auth = _token(api)
    hub.advance(3601)
    expired = api.post(f"{CAS}/v1/shards", content=upload.shard, headers=auth)
    assert expired.status_code == 401 and "expired" in expired.json()["error"]


def test_private_space_tokens(api: TestClient, space: None) -> None:
    api.put(f"{BASE}/settings", json={"private": True})
    hidden = api.get(f"{BASE}/xet-read-token/main", headers={"authorization": ""})
    assert hidden.status_code in (401, 404)


def test_resolve_ranges_and_the_js_clients_fileinfo(api: TestClient, space: None) -> None:
    upload = build_upload(DATA)
    _upload(api, upload, _token(api))
    assert _commit(api, upload).status_code == 200
    url = "/spaces/fakeuser/demo/resolve/main/data.bin"
    part = api.get(url, headers={"range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == DATA[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(DATA)}"
    tail = api.get(url, headers={"range": "bytes=-5"})
    assert tail.content == DATA[-5:]
    assert api.get(url, headers={"range": f"bytes={len(DATA)}-"}).status_code == 416
    info = api.get(url, headers={"accept": "application/vnd.xet-fileinfo+json, */*"})
    assert info.headers["content-type"].startswith("application/vnd.xet-fileinfo+json")
    assert info.headers["x-linked-size"] == str(len(DATA))
    assert 'rel="xet-reconstruction-info"' in info.headers["link"]
    assert f"/xet-cas/v1/reconstructions/{upload.file_id}" in info.headers["link"]


def test_tokens_and_signatures_never_appear_in_the_dump(
    api: TestClient, hub: FakeHub, space: None
) -> None:
    token = _token(api)["authorization"].removeprefix("Bearer ")
    data = b"\x00" + DATA[:500]
    batch = {
        "operation": "upload",
        "objects": [{"oid": hashlib.sha256(data).hexdigest(), "size": len(data)}],
    }
    answer = api.post("/spaces/fakeuser/demo.git/info/lfs/objects/batch", json=batch).json()
    signature = answer["objects"][0]["actions"]["upload"]["href"].split("signature=")[1]
    dumped = json.dumps(hub.dump())
    assert token not in dumped and signature not in dumped
    logged = json.dumps([logged_request_json(e) for e in hub.request_log.find()])
    assert signature not in logged


def test_xet_with_a_storage_directory(tmp_path: Any) -> None:
    hub = FakeHub(HubConfig(storage_dir=tmp_path))
    with TestClient(create_app(hub), base_url="http://fake.test") as api:
        api.headers.update(WRITE)
        api.post("/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"})
        upload = build_upload(DATA)
        _upload(api, upload, _token(api))
        assert _commit(api, upload).status_code == 200
        got = api.get("/spaces/fakeuser/demo/resolve/main/data.bin", headers={"range": "bytes=7-"})
        assert got.content == DATA[7:]
        assert (tmp_path / "objects" / f"xorb-{upload.xorb_name}").read_bytes() == upload.xorb
