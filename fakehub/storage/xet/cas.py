"""What the fake's CAS server holds: verified xorbs, their chunks, and registered files.

Xorbs are stored in the :class:`~fakehub.storage.blobs.BlobStore` under ``xorb:<hash>`` and
indexed by chunk (for the global-dedupe query). A shard registers files only when everything
in it checks out: each term names a stored xorb and a chunk range inside it, its byte count and
verification hash match those chunks, the file hash is the hash of the file's chunks, and the
sha256 it declares is that of the reconstructed bytes. Otherwise nothing is registered.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from fakehub.storage.blobs import BlobStore
from fakehub.storage.xet.hashes import file_hash, hash_to_str, verification_hash
from fakehub.storage.xet.shard import CasChunk, CasInfo, FileInfo, Shard, Term
from fakehub.storage.xet.xorb import XorbInfo, chunk_bytes, parse_xorb


class CasRefused(ValueError):
    """An upload the CAS refuses; the message names the object and what was wrong."""


class CasNotFound(LookupError):
    """A xorb, file or chunk the CAS does not hold."""


@dataclass(frozen=True)
class XetFile:
    """A registered file: its id, size, sha256 (hex, if declared) and reconstruction terms."""

    id: str
    size: int
    sha256: str | None
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class FetchRange:
    """Bytes to fetch from one xorb: chunks [chunk_start, chunk_end), bytes [start, end]."""

    xorb: str
    chunk_start: int
    chunk_end: int
    byte_start: int
    byte_end: int  # inclusive, as HTTP ranges are


@dataclass(frozen=True)
class Reconstruction:
    offset_into_first_range: int
    terms: tuple[Term, ...]
    fetch: tuple[FetchRange, ...]


def xorb_key(name: str) -> str:
    return f"xorb:{name}"


def _listing(info: XorbInfo) -> tuple[CasChunk, ...]:
    """A xorb's chunks as a shard lists them: hash, offset in the raw bytes, raw size."""
    listed = []
    offset = 0
    for chunk in info.chunks:
        listed.append(CasChunk(chunk.hash, offset, chunk.size))
        offset += chunk.size
    return tuple(listed)


class XetCas:
    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs
        self._lock = threading.Lock()
        self.xorbs: dict[str, XorbInfo] = {}
        self.files: dict[str, XetFile] = {}
        self._chunks: dict[bytes, str] = {}

    # -- uploads ---------------------------------------------------------------------------------

    def add_xorb(self, name: str, data: bytearray) -> bool:
        """Verify and keep a xorb; False if it was already stored (its bytes are still checked:
        a wrong body is refused even for a xorb the CAS holds)."""
        try:
            info = parse_xorb(memoryview(data))
        except ValueError as exc:
            raise CasRefused(f"xorb {name}: {exc}") from None
        if hash_to_str(info.hash) != name:
            raise CasRefused(f"xorb {name}: its chunks hash to {hash_to_str(info.hash)}")
        with self._lock:
            if name in self.xorbs:
                return False
        inserted = self.blobs.put(xorb_key(name), data)
        with self._lock:
            self.xorbs[name] = info
            for chunk in info.chunks:
                self._chunks.setdefault(chunk.hash, name)
        return inserted

    def check_shard(self, shard: Shard) -> list[XetFile]:
        """The files a shard describes, after checking all of it (raises CasRefused)."""
        for listed in shard.xorbs:
            self._check_listing(listed)
        return [self._check_file(index, info) for index, info in enumerate(shard.files)]

    def register(self, files: list[XetFile]) -> None:
        with self._lock:
            for item in files:
                self.files.setdefault(item.id, item)

    def _xorb(self, raw: bytes, where: str) -> XorbInfo:
        name = hash_to_str(raw)
        with self._lock:
            info = self.xorbs.get(name)
        if info is None:
            raise CasRefused(f"{where}: names xorb {name}, which was never uploaded")
        return info

    def _check_listing(self, listed: CasInfo) -> None:
        info = self._xorb(listed.hash, "xorb listing")
        if listed.chunks != _listing(info) or listed.bytes_in_cas != info.raw_size:
            raise CasRefused(
                f"xorb listing {hash_to_str(listed.hash)}: chunks or sizes differ from the "
                "uploaded xorb"
            )

    def _check_file(self, index: int, info: FileInfo) -> XetFile:
        where = f"file {index} ({hash_to_str(info.hash)})"
        if info.verification is None and info.terms:
            raise CasRefused(f"{where}: the shard has no verification entries")
        pairs: list[tuple[bytes, int]] = []
        for number, term in enumerate(info.terms):
            xorb = self._xorb(term.xorb, f"{where} term {number}")
            if term.chunk_end > len(xorb.chunks):
                raise CasRefused(
                    f"{where} term {number}: chunks [{term.chunk_start}, {term.chunk_end}) are "
                    f"past the {len(xorb.chunks)} chunks of xorb {hash_to_str(term.xorb)}"
                )
            chunks = xorb.chunks[term.chunk_start : term.chunk_end]
            if sum(c.size for c in chunks) != term.unpacked_bytes:
                raise CasRefused(f"{where} term {number}: wrong size {term.unpacked_bytes}")
            assert info.verification is not None
            if verification_hash([c.hash for c in chunks]) != info.verification[number]:
                raise CasRefused(f"{where} term {number}: wrong verification hash")
            pairs.extend((c.hash, c.size) for c in chunks)
        if file_hash(pairs) != info.hash:
            raise CasRefused(f"{where}: its chunks hash to {hash_to_str(file_hash(pairs))}")
        item = XetFile(hash_to_str(info.hash), info.size, None, info.terms)
        if info.sha256 is None:
            return item
        # xet-core stores the sha256 as it stores hashes: its string form is the usual hex.
        declared = hash_to_str(info.sha256)
        digest = hashlib.sha256()
        for piece in self._term_bytes(info.terms):
            digest.update(piece)
        if digest.hexdigest() != declared:
            raise CasRefused(
                f"{where}: the sha256 it declares ({declared}) is not that of its bytes"
            )
        return XetFile(item.id, item.size, declared, item.terms)

    # -- downloads -------------------------------------------------------------------------------

    def file(self, file_id: str) -> XetFile:
        with self._lock:
            found = self.files.get(file_id)
        if found is None:
            raise CasNotFound(f"file {file_id} not found")
        return found

    def _term_bytes(self, terms: tuple[Term, ...]) -> Iterator[bytes]:
        for term in terms:
            name = hash_to_str(term.xorb)
            chunks = self.xorbs[name].chunks[term.chunk_start : term.chunk_end]
            data = self.blobs.read(xorb_key(name), chunks[0].start, chunks[-1].end)
            base = chunks[0].start
            for chunk in chunks:
                yield chunk_bytes(data, chunk.start - base)

    def iter_file(self, file_id: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Bytes [start, end) of the file, chunk by chunk (only the terms that hold them)."""
        found = self.reconstruction(file_id, start, end)
        skip = found.offset_into_first_range
        left = (self.file(file_id).size if end is None else end) - start
        for piece in self._term_bytes(found.terms):
            if skip >= len(piece):
                skip -= len(piece)
                continue
            piece = piece[skip : skip + left]
            skip = 0
            left -= len(piece)
            yield piece
            if left <= 0:
                return

    def reconstruction(
        self, file_id: str, start: int = 0, end: int | None = None
    ) -> Reconstruction:
        """Terms covering bytes [start, end) (end exclusive) and where to fetch them."""
        item = self.file(file_id)
        end = item.size if end is None else min(end, item.size)
        terms: list[Term] = []
        offset = 0
        first_offset = 0
        for term in item.terms:
            term_end = offset + term.unpacked_bytes
            if term_end > start and offset < end:
                if not terms:
                    first_offset = start - offset
                terms.append(term)
            offset = term_end
        return Reconstruction(first_offset, tuple(terms), self._fetch_ranges(terms))

    def _fetch_ranges(self, terms: list[Term]) -> tuple[FetchRange, ...]:
        """One byte range per xorb, covering every chunk the terms need from it."""
        spans: dict[str, tuple[int, int]] = {}
        for term in terms:
            name = hash_to_str(term.xorb)
            low, high = spans.get(name, (term.chunk_start, term.chunk_end))
            spans[name] = (min(low, term.chunk_start), max(high, term.chunk_end))
        ranges = []
        for name, (low, high) in spans.items():
            chunks = self.xorbs[name].chunks
            ranges.append(FetchRange(name, low, high, chunks[low].start, chunks[high - 1].end - 1))
        return tuple(ranges)

    def dedupe(self, chunk: bytes) -> Shard:
        """A shard listing the xorb that holds ``chunk`` (the global-dedupe answer)."""
        with self._lock:
            name = self._chunks.get(chunk)
            info = self.xorbs.get(name) if name else None
        if info is None:
            raise CasNotFound(f"chunk {hash_to_str(chunk)} not found")
        return Shard((), (CasInfo(info.hash, _listing(info), info.raw_size, info.size),))

    def summary(self) -> dict[str, object]:
        with self._lock:
            return {
                "xorbs": {name: info.size for name, info in sorted(self.xorbs.items())},
                "files": {fid: f.size for fid, f in sorted(self.files.items())},
            }
