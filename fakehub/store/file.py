"""The ``serve --state`` file: one SQLite database (WAL, ``synchronous=FULL``), locked while open.

Format 2 (``PRAGMA user_version``), recognised by ``PRAGMA application_id`` = ``0x466B4862``
("FkHb"):

* ``meta(key, value)``: ``fakehub`` (the version that wrote it), ``clock_ns`` (the virtual now,
  saved every second and on shutdown, so a realtime clock continues with no jump);
* ``journal(seq, at_ns, method, path, query, headers, body, status)``: accepted requests in the
  order they were applied, each with the virtual time it was applied at;
* ``snapshots(seq, now_ns, parts)``: the hub's state after entry ``seq`` (at most one row), held
  in ``snapshot_parts(seq, part, data)``: the pickled state cut in ``parts`` pieces, so a snapshot
  taken while serving is written a piece at a time between requests, and becomes the snapshot
  (with the journal up to ``seq`` dropped) in one short transaction once every piece is in.
  Pieces of a snapshot that never became current (a kill while it was written) are dropped at
  the next open.

A file that is not fakehub's, damaged, of another format or in use by another server is refused
with a :class:`StateFileError` before anything is written to it. Format 1 (the whole snapshot
in one row) is refused with a message saying so.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fakehub.middleware.journal import JournalEntry
from fakehub.store.opening import APPLICATION_ID as APPLICATION_ID  # the format, told here too
from fakehub.store.opening import FORMAT as FORMAT
from fakehub.store.opening import StateFileError as StateFileError
from fakehub.store.opening import create_empty, lock_and_check


@dataclass(frozen=True)
class Snapshot:
    seq: int
    now_ns: int
    state: bytes


class StateFile:
    """An open, validated and locked state file."""

    def __init__(self, path: Path, db: sqlite3.Connection, created: bool) -> None:
        self.path = path
        self._db = db
        #: one user of the connection at a time: a snapshot's pieces are written by a thread
        #: while requests are journaled (a transaction belongs to the connection, not a thread)
        self._guard = threading.Lock()
        #: the file was made just now (nothing to restore)
        self.created = created
        db.execute(
            "DELETE FROM snapshot_parts WHERE seq NOT IN (SELECT seq FROM snapshots)"
        )  # a snapshot a kill interrupted
        row = db.execute(
            "SELECT max(seq) FROM (SELECT seq FROM journal UNION ALL SELECT seq FROM snapshots)"
        ).fetchone()
        self.last_seq: int = row[0] or 0

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> StateFile:
        target = Path(path)
        created = create_empty(target)
        try:
            db = sqlite3.connect(target, timeout=0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StateFileError(f"{target}: cannot open: {exc}") from None
        try:
            lock_and_check(db, target, created)
        except BaseException:
            db.close()
            raise
        return cls(target, db, created)

    # -- writing ---------------------------------------------------------------------------------

    def append(self, entry: JournalEntry) -> int:
        """Write ``entry`` and commit it (fsync'd: ``synchronous=FULL``); its sequence number."""
        headers = b"\r\n".join(name + b": " + value for name, value in entry.headers)
        with self._guard:
            self._db.execute(
                "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.last_seq + 1, entry.at_ns, entry.method, entry.path, entry.query, headers,
                 entry.body, entry.status),
            )  # fmt: skip
            self.last_seq += 1
        return self.last_seq

    def compact(self, now_ns: int, state: bytes) -> None:
        """Replace the journal so far with ``state``, the hub after entry :attr:`last_seq`."""
        seq = self.last_seq
        with self._guard, self._transaction():
            self._db.execute("DELETE FROM snapshot_parts WHERE seq = ?", (seq,))
            self._db.execute("INSERT INTO snapshot_parts VALUES (?, 0, ?)", (seq, state))
            self._install(seq, now_ns, 1)
            self._set("clock_ns", str(now_ns))  # a reset may have put the clock back

    def write_part(self, seq: int, part: int, data: bytes) -> None:
        """One piece of the snapshot after entry ``seq`` (committed on its own)."""
        with self._guard:
            self._db.execute("INSERT OR REPLACE INTO snapshot_parts VALUES (?, ?, ?)",
                             (seq, part, data))  # fmt: skip

    def install(self, seq: int, now_ns: int, parts: int) -> bool:
        """Make the ``parts`` pieces written for entry ``seq`` the snapshot; drop what it covers.

        False (nothing changed) when a snapshot as recent is already there.
        """
        with self._guard, self._transaction():
            row = self._db.execute("SELECT max(seq) FROM snapshots").fetchone()
            installed = row[0] is None or row[0] < seq
            if installed:
                self._install(seq, now_ns, parts, drop_parts=False)
                saved = self._get("clock_ns")
                if saved is None or int(saved) < now_ns:  # the heartbeat may be ahead already
                    self._set("clock_ns", str(now_ns))
        self._drop_parts(keep=seq if installed else row[0])
        return installed

    def _drop_parts(self, keep: int) -> None:
        """Drop the pieces of every other snapshot, one at a time (a write waits for one)."""
        with self._guard:
            stale = self._db.execute(
                "SELECT seq, part FROM snapshot_parts WHERE seq != ?", (keep,)
            ).fetchall()
        for seq, part in stale:
            with self._guard:
                self._db.execute(
                    "DELETE FROM snapshot_parts WHERE seq = ? AND part = ?", (seq, part)
                )

    def save_clock(self, now_ns: int) -> None:
        with self._guard:
            self._set("clock_ns", str(now_ns))

    def close(self) -> None:
        with self._guard:
            self._db.close()

    # -- reading ---------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot | None:
        with self._guard:
            row = self._db.execute("SELECT seq, now_ns, parts FROM snapshots").fetchone()
            if row is None:
                return None
            seq, now_ns, parts = row
            pieces = [
                bytes(data)
                for (data,) in self._db.execute(
                    "SELECT data FROM snapshot_parts WHERE seq = ? ORDER BY part", (seq,)
                )
            ]
        if len(pieces) != parts:
            raise StateFileError(f"{self.path}: damaged (snapshot {seq} lacks pieces)")
        return Snapshot(seq, now_ns, b"".join(pieces))

    def entries_after(self, seq: int) -> Iterator[tuple[int, JournalEntry]]:
        rows = self._db.execute(
            "SELECT seq, at_ns, method, path, query, headers, body, status FROM journal "
            "WHERE seq > ? ORDER BY seq",
            (seq,),
        )
        for number, at_ns, method, path, query, headers, body, status in rows:
            pairs = tuple(_header(line) for line in bytes(headers).split(b"\r\n") if line)
            entry = JournalEntry(at_ns, method, path, bytes(query), pairs, bytes(body), status)
            yield number, entry

    def saved_clock(self) -> int | None:
        with self._guard:
            value = self._get("clock_ns")
        return int(value) if value is not None else None

    def journal_length(self) -> int:
        with self._guard:
            return int(self._db.execute("SELECT count(*) FROM journal").fetchone()[0])

    # -- internals -------------------------------------------------------------------------------

    def _install(self, seq: int, now_ns: int, parts: int, drop_parts: bool = True) -> None:
        self._db.execute("DELETE FROM journal WHERE seq <= ?", (seq,))
        self._db.execute("DELETE FROM snapshots")
        self._db.execute("INSERT INTO snapshots VALUES (?, ?, ?)", (seq, now_ns, parts))
        if drop_parts:
            self._db.execute("DELETE FROM snapshot_parts WHERE seq != ?", (seq,))

    def _get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _set(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _header(line: bytes) -> tuple[bytes, bytes]:
    name, _, value = line.partition(b": ")
    return name, value
