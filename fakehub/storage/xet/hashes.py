"""Xet hashes (hub-docs ``docs/xet/hashing.md``, ``api.md``: converting hashes to strings).

Every hash is 32 bytes. On the wire (URLs, JSON, the merkle node text) a hash is written as
four little-endian u64s in hex, so each 8-byte group of the raw bytes appears reversed.
The xorb and file hashes aggregate ``(chunk hash, size)`` pairs into a tree whose nodes hold
2 to 9 children, cut after a child whose hash is 0 modulo 4 (xet-core's aggregated hashes).
"""

from __future__ import annotations

from collections.abc import Sequence

from blake3 import blake3

# The keys of hashing.md (DATA_KEY, INTERNAL_NODE_KEY, VERIFICATION_KEY), as hex.
DATA_KEY = bytes.fromhex("6697f5775b9550de3135cbaca597181c9de421109beb2b58b4d0b04b93adf229")
INTERNAL_NODE_KEY = bytes.fromhex(
    "017ec5c7a5472996fd946666b48a02e65ddd536f37c76dd2f86352e64a53713f"
)
VERIFICATION_KEY = bytes.fromhex("7f1857d6ce56ed66127ff913e7a5c3f3a4cd26d5b5db49e64124987f28fb94c3")
ZERO_KEY = bytes(32)
HASH_BYTES = 32
BRANCHING = 4
MAX_GROUP = 2 * BRANCHING + 1


def hash_to_str(raw: bytes) -> str:
    """The API's string form: each 8-byte group reversed, then hex."""
    return "".join(raw[i : i + 8][::-1].hex() for i in range(0, HASH_BYTES, 8))


def str_to_hash(text: str) -> bytes:
    """Inverse of :func:`hash_to_str`; raises ValueError on anything but 64 hex digits."""
    if len(text) != 64:
        raise ValueError(f"expected 64 hex digits, got {len(text)} characters")
    raw = bytes.fromhex(text)
    return b"".join(raw[i : i + 8][::-1] for i in range(0, HASH_BYTES, 8))


def chunk_hash(data: bytes | memoryview) -> bytes:
    return blake3(data, key=DATA_KEY).digest()


def _merge(group: Sequence[tuple[bytes, int]]) -> tuple[bytes, int]:
    text = "".join(f"{hash_to_str(h)} : {size}\n" for h, size in group)
    return blake3(text.encode(), key=INTERNAL_NODE_KEY).digest(), sum(s for _, s in group)


def _next_cut(nodes: Sequence[tuple[bytes, int]], start: int) -> int:
    left = len(nodes) - start
    if left <= 2:
        return len(nodes)
    end = start + min(MAX_GROUP, left)
    for index in range(start + 2, end):
        if nodes[index][0][24] % BRANCHING == 0:  # the hash's last u64, little-endian, mod 4
            return index + 1
    return end


def aggregated_hash(chunks: Sequence[tuple[bytes, int]]) -> bytes:
    """Root of the merkle tree over ``(chunk hash, size)`` pairs (zeros for no chunks)."""
    if not chunks:
        return bytes(HASH_BYTES)
    nodes = list(chunks)
    while len(nodes) > 1:
        merged: list[tuple[bytes, int]] = []
        start = 0
        while start < len(nodes):
            cut = _next_cut(nodes, start)
            merged.append(_merge(nodes[start:cut]))
            start = cut
        nodes = merged
    return nodes[0][0]


def xorb_hash(chunks: Sequence[tuple[bytes, int]]) -> bytes:
    return aggregated_hash(chunks)


def file_hash(chunks: Sequence[tuple[bytes, int]]) -> bytes:
    """The file id: the aggregated hash, keyed-hashed once more with a zero key."""
    if not chunks:
        return bytes(HASH_BYTES)
    return blake3(aggregated_hash(chunks), key=ZERO_KEY).digest()


def verification_hash(chunk_hashes: Sequence[bytes]) -> bytes:
    """A shard term's verification hash over the raw hashes of its chunk range."""
    return blake3(b"".join(chunk_hashes), key=VERIFICATION_KEY).digest()
