"""Xorbs (hub-docs ``docs/xet/xorb.md``): chunks framed by 8-byte headers, maybe compressed.

A serialized xorb is a run of ``header + data`` chunks; xet-core appends an info footer that
starts with ``XETBLOB``, which ends the chunk run (its content is not needed to serve ranges).
Parsing checks every header, decompresses every chunk and hashes it, so a xorb whose bytes do
not hash to its name is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import lz4.frame

from fakehub.storage.xet.hashes import chunk_hash, xorb_hash

HEADER_BYTES = 8
FOOTER_IDENT = b"XETBLOB"
NONE, LZ4, BG4_LZ4 = 0, 1, 2
#: The CAS refuses serialized xorbs above 64 MiB (xorb.md).
MAX_XORB_BYTES = 64 * 1024 * 1024
#: A raw chunk is at most 128 KiB.
MAX_CHUNK_BYTES = 128 * 1024


class XorbError(ValueError):
    """The bytes are not a well-formed xorb (the message says where)."""


@dataclass(frozen=True)
class XorbChunk:
    hash: bytes
    #: uncompressed size
    size: int
    #: byte offsets of the chunk (header included) in the serialized xorb: [start, end)
    start: int
    end: int


@dataclass(frozen=True)
class XorbInfo:
    hash: bytes
    chunks: tuple[XorbChunk, ...]
    #: serialized size (footer included)
    size: int

    @property
    def raw_size(self) -> int:
        return sum(c.size for c in self.chunks)


def _bg4_ungroup(grouped: bytes) -> bytes:
    n = len(grouped)
    split, rem = divmod(n, 4)
    out = bytearray(n)
    at = 0
    for lane in range(4):
        width = split + (1 if lane < rem else 0)
        out[lane::4] = grouped[at : at + width]
        at += width
    return bytes(out)


def _lz4(data: bytes | memoryview, size: int, where: str) -> bytes:
    """One LZ4 frame, never inflated past one byte more than the chunk header's ``size``: the
    frame's own header may claim any content size, and the one-shot ``lz4.frame.decompress``
    allocates what it claims (a flipped byte there was a MemoryError, answered as a 500)."""
    frame = lz4.frame.LZ4FrameDecompressor()
    raw: bytes = frame.decompress(bytes(data), max_length=size + 1)
    if len(raw) == size and not (frame.eof and not frame.unused_data):
        raise XorbError(f"{where}: the LZ4 frame does not end after the {size} bytes it holds")
    return raw


def decompress(scheme: int, data: bytes | memoryview, size: int, where: str) -> bytes:
    try:
        if scheme == NONE:
            raw = bytes(data)
        elif scheme == LZ4:
            raw = _lz4(data, size, where)
        elif scheme == BG4_LZ4:
            raw = _bg4_ungroup(_lz4(data, size, where))
        else:
            raise XorbError(f"{where}: unknown compression type {scheme}")
    except RuntimeError as exc:  # lz4 reports corrupt frames as RuntimeError
        raise XorbError(f"{where}: LZ4 data does not decompress ({exc})") from None
    if len(raw) != size:
        raise XorbError(f"{where}: decompresses to {len(raw)} bytes, its header says {size}")
    return raw


def read_header(data: bytes | memoryview, at: int) -> tuple[int, int, int]:
    """``(compressed size, compression type, uncompressed size)`` of the chunk at ``at``."""
    header = bytes(data[at : at + HEADER_BYTES])
    if len(header) < HEADER_BYTES:
        raise XorbError(f"chunk header at byte {at}: truncated")
    if header[0] != 0:
        raise XorbError(f"chunk header at byte {at}: unknown version {header[0]}")
    compressed = int.from_bytes(header[1:4], "little")
    uncompressed = int.from_bytes(header[5:8], "little")
    if uncompressed > MAX_CHUNK_BYTES:
        raise XorbError(f"chunk at byte {at}: {uncompressed} bytes, over the 128 KiB limit")
    return compressed, header[4], uncompressed


def iter_chunks(data: bytes | memoryview) -> list[tuple[int, int, int, int, int]]:
    """``(start, data start, end, scheme, size)`` for each chunk, up to the footer."""
    found: list[tuple[int, int, int, int, int]] = []
    at = 0
    while at < len(data) and bytes(data[at : at + len(FOOTER_IDENT)]) != FOOTER_IDENT:
        compressed, scheme, size = read_header(data, at)
        end = at + HEADER_BYTES + compressed
        if end > len(data):
            raise XorbError(f"chunk {len(found)} at byte {at}: truncated")
        found.append((at, at + HEADER_BYTES, end, scheme, size))
        at = end
    return found


def parse_xorb(data: bytes | memoryview) -> XorbInfo:
    """Check and index a serialized xorb; its hash is computed from its chunks."""
    if len(data) > MAX_XORB_BYTES:
        raise XorbError(f"xorb is {len(data)} bytes, over the 64 MiB limit")
    chunks: list[XorbChunk] = []
    for index, (start, body, end, scheme, size) in enumerate(iter_chunks(data)):
        raw = decompress(scheme, data[body:end], size, f"chunk {index}")
        chunks.append(XorbChunk(chunk_hash(raw), size, start, end))
    if not chunks:
        raise XorbError("xorb holds no chunk")
    digest = xorb_hash([(c.hash, c.size) for c in chunks])
    return XorbInfo(digest, tuple(chunks), len(data))


def chunk_bytes(data: bytes | memoryview, at: int = 0) -> bytes:
    """The raw bytes of the chunk whose header starts at ``at``."""
    compressed, scheme, size = read_header(data, at)
    body = data[at + HEADER_BYTES : at + HEADER_BYTES + compressed]
    return decompress(scheme, body, size, f"chunk at byte {at}")


def serialize_chunk(raw: bytes, scheme: int = LZ4) -> bytes:
    """One framed chunk (tests and benchmarks build xorbs with this)."""
    if scheme == NONE:
        body = raw
    else:
        grouped = raw
        if scheme == BG4_LZ4:
            grouped = b"".join(raw[lane::4] for lane in range(4))
        body = lz4.frame.compress(grouped)
    header = (
        bytes([0])
        + len(body).to_bytes(3, "little")
        + bytes([scheme])
        + len(raw).to_bytes(3, "little")
    )
    return header + body
