"""Bad state files: refused with one clear line (exit 2 from ``fakehub serve``), left untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from fakehub import FakeHub
from fakehub.cli import main
from fakehub.store import FORMAT, DurableState, StateFile, StateFileError
from fakehub.store.file import APPLICATION_ID


def _good(path: Path) -> Path:
    state = DurableState(StateFile.open(path), FakeHub())
    state.close()
    return path


def _corrupt(path: Path) -> None:
    _good(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    _good(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 7])


def _not_sqlite(path: Path) -> None:
    path.write_text('{"spaces": []}\n')


def _foreign(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()


def _set_version(version: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        _good(path)
        db = sqlite3.connect(path)
        db.execute(f"PRAGMA user_version = {version}")
        db.commit()
        db.close()

    return write


def _other_fakehub(path: Path) -> None:
    _good(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'fakehub'")
    db.commit()
    db.close()


CASES = {
    "corrupt": (_corrupt, "damaged"),
    "truncated": (_truncated, "damaged"),
    "not-sqlite": (_not_sqlite, "not a fakehub state file"),
    "foreign": (_foreign, "another program's database"),
    "newer-format": (_set_version(FORMAT + 1), "newer fakehub"),
    "older-format": (_set_version(FORMAT - 1), f"is not supported (expected {FORMAT})"),
    "other-fakehub-version": (_other_fakehub, "written by fakehub 0.0.1"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_file_is_refused_and_left_untouched(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = CASES[case]
    path = tmp_path / "state.db"
    make(path)
    before = _digest(path)
    assert main(["serve", "--state", str(path), "--port", "0"]) == 2
    message = capsys.readouterr().err
    assert expected in message
    assert message.count("\n") == 1 and message.startswith("fakehub: cannot use the state file")
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.db"]


def test_a_file_in_use_by_another_server_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    held = StateFile.open(path)
    try:
        with pytest.raises(StateFileError, match="in use by another fakehub server"):
            StateFile.open(path)
    finally:
        held.close()
    StateFile.open(path).close()  # free again once the first one closed


def test_a_new_file_carries_the_format_and_owner_only_permissions(tmp_path: Path) -> None:
    path = _good(tmp_path / "state.db")
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == FORMAT
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StateFileError, match="cannot create"):
        StateFile.open(tmp_path / "missing" / "state.db")
