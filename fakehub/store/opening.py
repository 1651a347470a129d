"""Opening a ``serve --state`` file: the format's constants, and the checks that refuse a bad file.

Every check runs before anything is written, so a refused file is left untouched.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from fakehub import __version__

FORMAT = 2
APPLICATION_ID = 0x466B4862  # "FkHb"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
    query BLOB NOT NULL, headers BLOB NOT NULL, body BLOB NOT NULL, status INTEGER NOT NULL
);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, now_ns INTEGER NOT NULL, parts INTEGER NOT NULL);
CREATE TABLE snapshot_parts (
    seq INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (seq, part)
);
"""


class StateFileError(Exception):
    """Why a state file cannot be used (one line, shown as is)."""


def create_empty(target: Path) -> bool:
    """Make a new, empty file readable by its owner only (secrets are kept in it)."""
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return target.stat().st_size == 0
    except OSError as exc:
        raise StateFileError(f"{target}: cannot create: {exc.strerror}") from None
    return True


def lock_and_check(db: sqlite3.Connection, target: Path, created: bool) -> None:
    if not created:
        _check_header(target)
    # Exclusive locking before WAL is first used: no shared memory, and once this connection
    # has written, no other process can read or write the file until it closes.
    db.execute("PRAGMA locking_mode = EXCLUSIVE")
    try:
        if created:
            db.executescript(f"BEGIN EXCLUSIVE; {_SCHEMA} COMMIT;")
        else:
            db.execute("BEGIN EXCLUSIVE")
            _check_content(db, target)
            db.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StateFileError(f"{target}: in use by another fakehub server") from None
        raise StateFileError(f"{target}: damaged or not a fakehub state file ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise StateFileError(f"{target}: damaged or not a fakehub state file ({exc})") from None
    if created:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {FORMAT}")
        db.execute("INSERT INTO meta VALUES ('fakehub', ?)", (__version__,))
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    # Checkpoints of about one snapshot piece (1 MiB): the write that runs one waits less
    db.execute("PRAGMA wal_autocheckpoint = 256")


def _check_header(target: Path) -> None:
    with target.open("rb") as handle:
        magic = handle.read(len(_SQLITE_MAGIC))
    if magic != _SQLITE_MAGIC:
        raise StateFileError(f"{target}: not a fakehub state file (not an SQLite database)")


def _check_content(db: sqlite3.Connection, target: Path) -> None:
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    if application_id != APPLICATION_ID:
        raise StateFileError(f"{target}: not a fakehub state file (another program's database)")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > FORMAT:
        raise StateFileError(
            f"{target}: state format {version} was written by a newer fakehub; "
            f"this fakehub {__version__} reads format {FORMAT}"
        )
    if version < FORMAT:
        raise StateFileError(
            f"{target}: state format {version} is not supported (expected {FORMAT})"
        )
    problems = [row[0] for row in db.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise StateFileError(f"{target}: damaged ({problems[0]})")
    row = db.execute("SELECT value FROM meta WHERE key = 'fakehub'").fetchone()
    if row is None or row[0] != __version__:
        written = row[0] if row else "an unknown version"
        raise StateFileError(
            f"{target}: written by fakehub {written}, this is fakehub {__version__}: "
            "export it with that version (fakehub state export) and import it here"
        )
