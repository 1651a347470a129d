"""MDB shards (hub-docs ``docs/xet/shard.md``): file reconstructions and xorb listings.

Layout: a 48-byte header, the file-info section (per file: header, terms, optional
verification entries, optional sha256 extension; a bookend), the CAS-info section (per xorb:
header and one entry per chunk; a bookend), and a 200-byte footer that uploads omit.
All integers are little-endian; every entry is 48 bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

HEADER_TAG = b"HFRepoMetaData\x00" + bytes(
    [85, 105, 103, 69, 106, 123, 129, 87, 131, 165, 189, 217, 92, 205, 209, 74, 169]
)
HEADER_VERSION = 2
FOOTER_VERSION = 1
FOOTER_BYTES = 200
ENTRY = 48
BOOKEND = b"\xff" * 32 + bytes(16)
WITH_VERIFICATION = 1 << 31
WITH_METADATA_EXT = 1 << 30


class ShardError(ValueError):
    """The bytes are not a well-formed shard (the message says where)."""


@dataclass(frozen=True)
class Term:
    xorb: bytes
    #: bytes of file data this term yields
    unpacked_bytes: int
    chunk_start: int
    chunk_end: int


@dataclass(frozen=True)
class FileInfo:
    hash: bytes
    terms: tuple[Term, ...]
    #: one per term when the shard carries them
    verification: tuple[bytes, ...] | None
    sha256: bytes | None

    @property
    def size(self) -> int:
        return sum(t.unpacked_bytes for t in self.terms)


@dataclass(frozen=True)
class CasChunk:
    hash: bytes
    byte_start: int
    unpacked_bytes: int


@dataclass(frozen=True)
class CasInfo:
    hash: bytes
    chunks: tuple[CasChunk, ...]
    bytes_in_cas: int
    bytes_on_disk: int


@dataclass(frozen=True)
class Shard:
    files: tuple[FileInfo, ...]
    xorbs: tuple[CasInfo, ...]


class _Reader:
    def __init__(self, data: bytes | memoryview) -> None:
        self.data = data
        self.at = 0

    def entry(self, what: str) -> bytes:
        piece = bytes(self.data[self.at : self.at + ENTRY])
        if len(piece) < ENTRY:
            raise ShardError(f"{what} at byte {self.at}: truncated")
        self.at += ENTRY
        return piece


def _file(reader: _Reader, head: bytes, index: int) -> FileInfo:
    flags, count = struct.unpack_from("<II", head, 32)
    where = f"file {index}"
    terms = []
    for _ in range(count):
        entry = reader.entry(f"{where} term")
        _flags, unpacked, start, end = struct.unpack_from("<IIII", entry, 32)
        if end <= start:
            raise ShardError(f"{where}: empty chunk range [{start}, {end})")
        terms.append(Term(entry[:32], unpacked, start, end))
    verification = None
    if flags & WITH_VERIFICATION:
        verification = tuple(reader.entry(f"{where} verification")[:32] for _ in range(count))
    sha256 = reader.entry(f"{where} metadata")[:32] if flags & WITH_METADATA_EXT else None
    return FileInfo(head[:32], tuple(terms), verification, sha256)


def _xorb(reader: _Reader, head: bytes) -> CasInfo:
    _flags, count, in_cas, on_disk = struct.unpack_from("<IIII", head, 32)
    chunks = []
    for _ in range(count):
        entry = reader.entry("xorb chunk")
        start, unpacked = struct.unpack_from("<II", entry, 32)
        chunks.append(CasChunk(entry[:32], start, unpacked))
    return CasInfo(head[:32], tuple(chunks), in_cas, on_disk)


def parse_shard(data: bytes | memoryview) -> Shard:
    reader = _Reader(data)
    header = reader.entry("header")
    if header[:32] != HEADER_TAG:
        raise ShardError("not a shard: wrong header tag")
    version, footer_size = struct.unpack_from("<QQ", header, 32)
    if version != HEADER_VERSION:
        raise ShardError(f"shard header version {version}, expected {HEADER_VERSION}")
    files: list[FileInfo] = []
    while (head := reader.entry("file info")) != BOOKEND:
        if head[:32] == BOOKEND[:32]:
            raise ShardError(f"file-info bookend at byte {reader.at - ENTRY}: malformed")
        files.append(_file(reader, head, len(files)))
    xorbs: list[CasInfo] = []
    while (head := reader.entry("xorb info")) != BOOKEND:
        if head[:32] == BOOKEND[:32]:
            raise ShardError(f"xorb-info bookend at byte {reader.at - ENTRY}: malformed")
        xorbs.append(_xorb(reader, head))
    left = len(data) - reader.at
    # Lookup tables may sit between the xorb section and a footer; an upload has neither.
    if (footer_size == 0 and left) or left < footer_size:
        raise ShardError(
            f"{left} bytes after the xorb section; the header announces a {footer_size}-byte footer"
        )
    if footer_size:
        (version,) = struct.unpack_from("<Q", bytes(data[len(data) - footer_size :]))
        if version != FOOTER_VERSION:
            raise ShardError(f"shard footer version {version}, expected {FOOTER_VERSION}")
    return Shard(tuple(files), tuple(xorbs))


def _file_bytes(info: FileInfo) -> bytes:
    flags = (WITH_VERIFICATION if info.verification is not None else 0) | (
        WITH_METADATA_EXT if info.sha256 is not None else 0
    )
    out = [info.hash + struct.pack("<II8x", flags, len(info.terms))]
    for term in info.terms:
        fields = (0, term.unpacked_bytes, term.chunk_start, term.chunk_end)
        out.append(term.xorb + struct.pack("<IIII", *fields))
    out.extend(h + bytes(16) for h in info.verification or ())
    if info.sha256 is not None:
        out.append(info.sha256 + bytes(16))
    return b"".join(out)


def _xorb_bytes(info: CasInfo) -> bytes:
    fields = (0, len(info.chunks), info.bytes_in_cas, info.bytes_on_disk)
    out = [info.hash + struct.pack("<IIII", *fields)]
    for c in info.chunks:
        out.append(c.hash + struct.pack("<II8x", c.byte_start, c.unpacked_bytes))
    return b"".join(out)


def _key(raw: bytes) -> int:
    """xet-core's truncated hash: the hash's first little-endian u64."""
    return int.from_bytes(raw[:8], "little")


def _lookup_tables(shard: Shard) -> tuple[bytes, bytes, bytes, tuple[int, int, int]]:
    """The file, xorb and chunk lookup tables xet-core reads after the info sections."""
    files = []
    index = 0
    for info in shard.files:
        files.append((_key(info.hash), index))
        index += len(_file_bytes(info)) // ENTRY
    xorbs: list[tuple[int, int]] = []
    chunks: list[tuple[int, int, int]] = []
    index = 0
    for xorb in shard.xorbs:
        xorbs.append((_key(xorb.hash), index))
        chunks.extend((_key(c.hash), index, i) for i, c in enumerate(xorb.chunks))
        index += 1 + len(xorb.chunks)
    file_table = b"".join(struct.pack("<QI", k, v) for k, v in sorted(files))
    xorb_table = b"".join(struct.pack("<QI", k, v) for k, v in sorted(xorbs))
    chunk_table = b"".join(struct.pack("<QII", *c) for c in sorted(chunks))
    return file_table, xorb_table, chunk_table, (len(files), len(xorbs), len(chunks))


def serialize_shard(shard: Shard, *, footer: bool = False, created_s: int = 0) -> bytes:
    """A shard; with ``footer`` (as the dedupe API answers, lookup tables included), else as
    an upload body (no lookup tables, no footer)."""
    files = b"".join(_file_bytes(f) for f in shard.files) + BOOKEND
    xorbs = b"".join(_xorb_bytes(x) for x in shard.xorbs) + BOOKEND
    header = HEADER_TAG + struct.pack("<QQ", HEADER_VERSION, FOOTER_BYTES if footer else 0)
    if not footer:
        return header + files + xorbs
    file_table, xorb_table, chunk_table, counts = _lookup_tables(shard)
    file_offset = ENTRY
    xorb_offset = file_offset + len(files)
    file_lookup = xorb_offset + len(xorbs)
    xorb_lookup = file_lookup + len(file_table)
    chunk_lookup = xorb_lookup + len(xorb_table)
    footer_offset = chunk_lookup + len(chunk_table)
    stored = sum(x.bytes_in_cas for x in shard.xorbs)
    on_disk = sum(x.bytes_on_disk for x in shard.xorbs)
    materialized = sum(f.size for f in shard.files)
    tail = struct.pack("<QQQ", FOOTER_VERSION, file_offset, xorb_offset)
    tail += struct.pack(
        "<QQQQQQ", file_lookup, counts[0], xorb_lookup, counts[1], chunk_lookup, counts[2]
    )
    tail += bytes(32)  # no HMAC key: chunk hashes are listed as they are
    tail += struct.pack("<QQ", created_s, created_s + 7 * 86400) + bytes(48)
    tail += struct.pack("<QQQQ", on_disk, materialized, stored, footer_offset)
    body = header + files + xorbs + file_table + xorb_table + chunk_table
    return body + tail
