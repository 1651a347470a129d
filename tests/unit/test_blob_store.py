"""The object store: content addressing, deduplication, the cap, memory and directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakehub.domain.errors import BadRequest, PayloadTooLarge
from fakehub.storage.blobs import BlobStore


@pytest.mark.parametrize("on_disk", [False, True])
def test_stage_write_commit_read(tmp_path: Path, on_disk: bool) -> None:
    store = BlobStore(1000, tmp_path if on_disk else None)
    staging = store.stage(10)
    staging.write_at(5, b"world")
    staging.write_at(0, b"hello")
    with pytest.raises(BadRequest, match="larger than announced"):
        staging.write_at(8, b"xyz")
    assert b"".join(bytes(p) for p in staging.pieces()) == b"helloworld"
    staging.commit("sha256:k")
    assert store.size("sha256:k") == 10 and bytes(store.read("sha256:k", 2, 7)) == b"llowo"
    again = store.stage(10)
    again.write_at(0, b"helloworld")
    again.commit("sha256:k")  # a duplicate is dropped: one copy
    assert store.summary() == {"objects": {"sha256:k": 10}, "totalBytes": 10, "cap": 1000}


def test_the_cap_is_reserved_before_any_byte(tmp_path: Path) -> None:
    store = BlobStore(100)
    first = store.stage(60)
    with pytest.raises(PayloadTooLarge, match="storage cap of 100 bytes"):
        store.stage(50)
    first.abort()
    assert store.stage(50).size == 50
    with pytest.raises(PayloadTooLarge):
        store.put("xorb:a", bytearray(200))
    assert store.put("xorb:b", bytearray(10)) and not store.put("xorb:b", bytearray(10))
