"""Xet formats against the specification's own samples and rules (hub-docs docs/xet)."""

from __future__ import annotations

import pytest

from fakehub.storage.xet.hashes import (
    aggregated_hash,
    chunk_hash,
    file_hash,
    hash_to_str,
    str_to_hash,
)
from fakehub.storage.xet.shard import HEADER_TAG, ShardError, parse_shard, serialize_shard
from fakehub.storage.xet.xorb import BG4_LZ4, LZ4, NONE, XorbError, chunk_bytes, parse_xorb
from tests.xet_builder import build_shard, build_xorb


def test_hash_string_form_reverses_each_8_byte_group() -> None:
    raw = bytes(range(32))
    text = hash_to_str(raw)
    assert text.startswith("07060504030201000f0e0d0c0b0a0908")  # api.md's example
    assert str_to_hash(text) == raw
    with pytest.raises(ValueError):
        str_to_hash("abc")


def test_merkle_tree_groups_and_single_chunk() -> None:
    one = [(chunk_hash(b"a"), 1)]
    assert aggregated_hash(one) == one[0][0]  # one leaf: the root is the leaf
    assert aggregated_hash([]) == bytes(32) and file_hash([]) == bytes(32)
    many = [(chunk_hash(bytes([i])), 1) for i in range(40)]
    assert aggregated_hash(many) != aggregated_hash(many[:-1])
    assert file_hash(many) != aggregated_hash(many)


def test_xorb_round_trip_with_every_compression() -> None:
    chunks = [b"x" * 3000, bytes(range(256)) * 9, b"\x00\x01\x02" * 100]
    name, body = build_xorb(chunks, [NONE, LZ4, BG4_LZ4])
    info = parse_xorb(body)
    assert hash_to_str(info.hash) == name and info.raw_size == sum(map(len, chunks))
    assert [chunk_bytes(body, c.start) for c in info.chunks] == chunks
    # xet-core's info footer ends the chunk run
    assert parse_xorb(body + b"XETBLOB" + bytes(40)).hash == info.hash


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b[:-3], "truncated"),
        (lambda b: b"\x01" + b[1:], "unknown version"),
        (lambda b: b[:4] + b"\x07" + b[5:], "unknown compression type"),
        (lambda b: b"", "no chunk"),
    ],
)
def test_malformed_xorbs_are_refused(mutate: object, message: str) -> None:
    _, body = build_xorb([b"hello" * 100])
    with pytest.raises(XorbError, match=message):
        parse_xorb(mutate(body))  # type: ignore[operator]


def test_shard_round_trip_with_and_without_footer() -> None:
    shard = build_shard([b"a" * 10, b"b" * 20], "ab" * 32)
    assert parse_shard(serialize_shard(shard)) == shard
    with_footer = serialize_shard(shard, footer=True, created_s=5)
    assert parse_shard(with_footer) == shard
    # lookup tables (file: 12 bytes each, xorb: 12, chunk: 16) sit before the 200-byte footer
    assert len(with_footer) == len(serialize_shard(shard)) + 12 + 12 + 2 * 16 + 200
    assert serialize_shard(shard)[:32] == HEADER_TAG


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b"X" + b[1:], "wrong header tag"),
        (lambda b: b[:-10], "truncated"),
        (lambda b: b + b"junk", "bytes after"),
        (lambda b: b[:32] + (3).to_bytes(8, "little") + b[40:], "version 3"),
    ],
)
def test_malformed_shards_are_refused(mutate: object, message: str) -> None:
    body = serialize_shard(build_shard([b"a" * 10], None))
    with pytest.raises(ShardError, match=message):
        parse_shard(mutate(body))  # type: ignore[operator]


def test_signing_a_xorb_url_shifts_no_later_id() -> None:
    # A download signs URLs (a read, never journaled by serve --state): its key comes from a
    # stream of its own, so the ids drawn after it are the same as without it.
    from fakehub import FakeHub

    signed, twin = FakeHub(), FakeHub()
    signed.xet.sign("a" * 64, 0, 10)
    assert signed.ctx.ids.object_id() == twin.ctx.ids.object_id()
    assert signed.xet.sign("a" * 64, 0, 10) == twin.xet.sign("a" * 64, 0, 10)
