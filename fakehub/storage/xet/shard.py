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
    if len(data) - reader.at != footer_size:
        raise ShardError(
            f"{len(data) - reader.at} bytes after the xorb section; the header announces a "
            f"{footer_size}-byte footer"
        )
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


def serialize_shard(shard: Shard, *, footer: bool = False, created_s: int = 0) -> bytes:
    """A shard; with ``footer`` (as the dedupe API answers), else as an upload body."""
    body = b"".join(_file_bytes(f) for f in shard.files) + BOOKEND
    cas_offset = ENTRY + len(body)
    body += b"".join(_xorb_bytes(x) for x in shard.xorbs) + BOOKEND
    header = HEADER_TAG + struct.pack("<QQ", HEADER_VERSION, FOOTER_BYTES if footer else 0)
    if not footer:
        return header + body
    footer_offset = ENTRY + len(body)
    tail = struct.pack("<QQQ", FOOTER_VERSION, ENTRY, cas_offset) + bytes(48) + bytes(32)
    tail += struct.pack("<QQ", created_s, created_s + 7 * 86400) + bytes(72)
    tail += struct.pack("<Q", footer_offset)
    return header + body + tail
