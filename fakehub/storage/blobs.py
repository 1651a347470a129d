"""A content-addressed object store with a total cap, in memory or in a directory.

Objects are keyed by ``"<kind>:<hex digest>"`` (``sha256:…`` for LFS objects, ``xorb:…`` for
Xet xorbs); the caller verifies that the bytes hash to the key before calling
:meth:`Staging.commit`, so a stored key always names its bytes and one copy serves every repo
that uploads them (deduplication).

An upload is written once, into a :class:`Staging` area sized up front (the cap is reserved
then, so a 413 comes before any byte is kept); multipart parts land at their offsets in that same
area, so no upload is ever held twice. Abandoned stagings release their reservation.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from fakehub.domain.errors import BadRequest, PayloadTooLarge

#: Default total size of everything stored (bytes): 2 GiB, enough for a few 100 MB files.
DEFAULT_MAX_STORAGE_BYTES = 2 * 1024 * 1024 * 1024
#: Size of the pieces :meth:`BlobStore.iter_range` yields (bytes).
READ_PIECE = 1024 * 1024


class Staging:
    """Room for one upload of a known size; written in place, then committed or aborted."""

    def __init__(self, store: BlobStore, size: int) -> None:
        self.store = store
        self.size = size
        self.closed = False
        self._memory: bytearray | None = None
        self._file: Path | None = None
        if store.directory is None:
            self._memory = bytearray(size)
        else:
            fd, name = tempfile.mkstemp(dir=store.directory / "staging")
            os.ftruncate(fd, size)
            os.close(fd)
            self._file = Path(name)

    def write_at(self, offset: int, data: bytes | bytearray | memoryview) -> None:
        if self.closed:
            raise BadRequest("upload already finished")
        if offset < 0 or offset + len(data) > self.size:
            raise BadRequest(
                f"upload is larger than announced: bytes {offset}-{offset + len(data) - 1} "
                f"past the declared size of {self.size} bytes"
            )
        if self._memory is not None:
            self._memory[offset : offset + len(data)] = data
        else:
            assert self._file is not None
            with self._file.open("r+b") as handle:
                handle.seek(offset)
                handle.write(data)

    def pieces(self) -> Iterator[memoryview | bytes]:
        """The staged bytes, in order, without copying the whole upload."""
        if self._memory is not None:
            view = memoryview(self._memory)
            for start in range(0, self.size, READ_PIECE):
                yield view[start : start + READ_PIECE]
        else:
            assert self._file is not None
            with self._file.open("rb") as handle:
                while piece := handle.read(READ_PIECE):
                    yield piece

    def commit(self, key: str) -> None:
        """Keep the staged bytes under ``key`` (already verified by the caller)."""
        self.store._commit(self, key)

    def abort(self) -> None:
        self.store._release(self)


class BlobStore:
    """Objects by key, in memory (default) or under ``directory``, at most ``max_bytes`` in all."""

    def __init__(
        self, max_bytes: int = DEFAULT_MAX_STORAGE_BYTES, directory: Path | None = None
    ) -> None:
        self.max_bytes = max_bytes
        self.directory = directory
        self._lock = threading.Lock()
        self._memory: dict[str, bytearray] = {}
        self._sizes: dict[str, int] = {}
        self._reserved = 0
        if directory is not None:
            for sub in ("objects", "staging"):
                shutil.rmtree(directory / sub, ignore_errors=True)  # a fresh store each start
                (directory / sub).mkdir(parents=True, exist_ok=True)

    # -- writing ---------------------------------------------------------------------------------

    def stage(self, size: int) -> Staging:
        """Reserve room for an upload of ``size`` bytes (413 past the cap)."""
        if size < 0:
            raise BadRequest(f"size: must be >= 0, got {size}")
        with self._lock:
            used = sum(self._sizes.values()) + self._reserved
            if used + size > self.max_bytes:
                raise PayloadTooLarge(
                    f"Storage full: storing {size} more bytes would pass fakehub's storage cap of "
                    f"{self.max_bytes} bytes ({used} in use); raise it with --max-storage-bytes"
                )
            self._reserved += size
        return Staging(self, size)

    def put(self, key: str, data: bytearray) -> bool:
        """Keep ``data`` (already verified) under ``key``; False if it was already stored.

        In memory the bytearray itself is kept (no copy): the caller must not change it after.
        """
        with self._lock:
            if key in self._sizes:
                return False
            used = sum(self._sizes.values()) + self._reserved
            if used + len(data) > self.max_bytes:
                raise PayloadTooLarge(
                    f"Storage full: storing {len(data)} more bytes would pass fakehub's storage "
                    f"cap of {self.max_bytes} bytes ({used} in use)"
                )
            self._sizes[key] = len(data)
            if self.directory is None:
                self._memory[key] = data
        if self.directory is not None:
            self._path(key).write_bytes(data)
        return True

    def _release(self, staging: Staging) -> None:
        with self._lock:
            if staging.closed:
                return
            staging.closed = True
            self._reserved -= staging.size
        if staging._file is not None:
            staging._file.unlink(missing_ok=True)

    def _commit(self, staging: Staging, key: str) -> None:
        with self._lock:
            if staging.closed:
                raise BadRequest("upload already finished")
            staging.closed = True
            self._reserved -= staging.size
            duplicate = key in self._sizes
            if not duplicate:
                self._sizes[key] = staging.size
                if staging._memory is not None:
                    self._memory[key] = staging._memory
        if staging._file is not None:
            if duplicate:
                staging._file.unlink(missing_ok=True)
            else:
                staging._file.replace(self._path(key))

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / "objects" / key.replace(":", "-")

    # -- reading ---------------------------------------------------------------------------------

    def size(self, key: str) -> int | None:
        """The stored object's size, or None if nothing is stored under ``key``."""
        with self._lock:
            return self._sizes.get(key)

    def iter_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Bytes ``start`` to ``end`` (exclusive) of an object, in pieces."""
        size = self._sizes[key]
        end = size if end is None else min(end, size)
        if self.directory is None:
            view = memoryview(self._memory[key])
            for at in range(start, end, READ_PIECE):
                yield bytes(view[at : min(at + READ_PIECE, end)])
            return
        with self._path(key).open("rb") as handle:
            handle.seek(start)
            left = end - start
            while left > 0 and (piece := handle.read(min(READ_PIECE, left))):
                left -= len(piece)
                yield piece

    def read(self, key: str, start: int = 0, end: int | None = None) -> bytes | memoryview:
        """Bytes ``start`` to ``end`` of an object; in memory, a view (no copy)."""
        if self.directory is None:
            size = self._sizes[key]
            return memoryview(self._memory[key])[start : size if end is None else min(end, size)]
        return b"".join(self.iter_range(key, start, end))

    def summary(self) -> dict[str, object]:
        """What the state dump shows: each key and its size, and the total."""
        with self._lock:
            objects = dict(sorted(self._sizes.items()))
        return {"objects": objects, "totalBytes": sum(objects.values()), "cap": self.max_bytes}

    @property
    def used_bytes(self) -> int:
        with self._lock:
            return sum(self._sizes.values())
