"""Build Xet objects the way hf_xet does, for tests: xorbs, shards, whole uploads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fakehub.storage.xet.hashes import (
    chunk_hash,
    file_hash,
    hash_to_str,
    str_to_hash,
    verification_hash,
    xorb_hash,
)
from fakehub.storage.xet.shard import CasChunk, CasInfo, FileInfo, Shard, Term, serialize_shard
from fakehub.storage.xet.xorb import LZ4, serialize_chunk


@dataclass(frozen=True)
class Upload:
    xorb_name: str
    xorb: bytes
    shard: bytes
    file_id: str
    sha256: str
    data: bytes


def split(data: bytes, size: int = 4096) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


def build_xorb(chunks: list[bytes], schemes: list[int] | None = None) -> tuple[str, bytes]:
    schemes = schemes or [LZ4] * len(chunks)
    body = b"".join(
        serialize_chunk(raw, scheme) for raw, scheme in zip(chunks, schemes, strict=True)
    )
    name = hash_to_str(xorb_hash([(chunk_hash(c), len(c)) for c in chunks]))
    return name, body


def build_shard(chunks: list[bytes], sha256: str | None, *, listing: bool = True) -> Shard:
    hashes = [chunk_hash(c) for c in chunks]
    xorb = xorb_hash([(h, len(c)) for h, c in zip(hashes, chunks, strict=True)])
    fid = file_hash([(h, len(c)) for h, c in zip(hashes, chunks, strict=True)])
    term = Term(xorb, sum(len(c) for c in chunks), 0, len(chunks))
    ext = str_to_hash(sha256) if sha256 is not None else None
    info = FileInfo(fid, (term,), (verification_hash(hashes),), ext)
    offsets = [sum(len(c) for c in chunks[:i]) for i in range(len(chunks))]
    cas = CasInfo(
        xorb,
        tuple(CasChunk(h, o, len(c)) for h, o, c in zip(hashes, offsets, chunks, strict=True)),
        sum(len(c) for c in chunks),
        0,
    )
    return Shard((info,), (cas,) if listing else ())


def build_upload(data: bytes, chunk_size: int = 4096) -> Upload:
    chunks = split(data, chunk_size)
    name, xorb = build_xorb(chunks)
    sha = hashlib.sha256(data).hexdigest()
    shard = build_shard(chunks, sha)
    fid = hash_to_str(shard.files[0].hash)
    return Upload(name, xorb, serialize_shard(shard), fid, sha, data)
