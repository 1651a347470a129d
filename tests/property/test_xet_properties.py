"""Xet formats round-trip, and any corruption is refused without changing the hub's state."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.storage.xet.hashes import hash_to_str
from fakehub.storage.xet.shard import parse_shard, serialize_shard
from fakehub.storage.xet.xorb import BG4_LZ4, LZ4, NONE, chunk_bytes, parse_xorb
from tests.conftest import WRITE
from tests.xet_builder import build_shard, build_upload, build_xorb

chunk_lists = st.lists(st.binary(min_size=1, max_size=3000), min_size=1, max_size=12)
schemes = st.sampled_from([NONE, LZ4, BG4_LZ4])


@given(chunks=chunk_lists, data=st.data())
def test_xorb_parse_round_trips(chunks: list[bytes], data: st.DataObject) -> None:
    chosen = [data.draw(schemes) for _ in chunks]
    name, body = build_xorb(chunks, chosen)
    info = parse_xorb(body)
    assert hash_to_str(info.hash) == name
    assert [c.size for c in info.chunks] == [len(c) for c in chunks]
    assert [chunk_bytes(body, c.start) for c in info.chunks] == chunks


@given(
    chunks=chunk_lists, sha=st.none() | st.binary(min_size=32, max_size=32), footer=st.booleans()
)
def test_shard_parse_round_trips(chunks: list[bytes], sha: bytes | None, footer: bool) -> None:
    shard = build_shard(chunks, sha.hex() if sha else None)
    assert parse_shard(serialize_shard(shard, footer=footer, created_s=1)) == shard


HUB = FakeHub(HubConfig())
API = TestClient(create_app(HUB), base_url="http://fake.test")
API.headers.update(WRITE)
UPLOAD = build_upload(bytes(range(256)) * 200, chunk_size=2048)


def _fresh() -> dict[str, str]:
    HUB.reset()
    API.post("/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"})
    token = API.get("/api/spaces/fakeuser/demo/xet-write-token/main").json()["accessToken"]
    return {"authorization": f"Bearer {token}"}


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
# A flipped byte in an LZ4 frame's content-size field: lz4 once allocated what it claimed.
@example(position=6101, flip=78)
@example(position=294, flip=1)  # accepted: the content is unchanged
def test_a_corrupted_xorb_is_refused_and_changes_nothing(position: int, flip: int) -> None:
    auth = _fresh()
    before = HUB.dump()
    corrupt = bytearray(UPLOAD.xorb)
    corrupt[position % len(corrupt)] ^= flip
    url = f"/xet-cas/v1/xorbs/default/{UPLOAD.xorb_name}"
    answer = API.post(url, content=bytes(corrupt), headers=auth)
    if answer.status_code == 200:
        # A few single-bit flips inside an LZ4 frame leave what it decompresses to unchanged
        # (one offset per chunk of this xorb): the xorb's hash covers that content, so the
        # xorb is rightly accepted. Any flip that changes the content must be refused.
        info = parse_xorb(bytes(corrupt))
        assert [chunk_bytes(bytes(corrupt), c.start) for c in info.chunks] == [
            chunk_bytes(UPLOAD.xorb, c.start) for c in parse_xorb(UPLOAD.xorb).chunks
        ]
        return
    assert answer.status_code == 400
    assert HUB.dump() == before


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_a_corrupted_shard_is_refused_and_changes_nothing(position: int, flip: int) -> None:
    auth = _fresh()
    API.post(f"/xet-cas/v1/xorbs/default/{UPLOAD.xorb_name}", content=UPLOAD.xorb, headers=auth)
    before = HUB.dump()
    corrupt = bytearray(UPLOAD.shard)
    index = position % len(corrupt)
    corrupt[index] ^= flip
    answer = API.post("/xet-cas/v1/shards", content=bytes(corrupt), headers=auth)
    # Bytes the format leaves unused may change harmlessly; every other change is refused.
    if answer.status_code == 200:
        assert parse_shard(bytes(corrupt)).files == parse_shard(UPLOAD.shard).files
        return
    assert answer.status_code == 400
    assert HUB.dump() == before
