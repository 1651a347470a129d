"""Snapshots taken by a forked child while the server keeps serving (``fakehub serve --state``)."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest

from fakehub.store import background
from tests.durable import Durable


def _create(hub: Durable, count: int, prefix: str = "s") -> None:
    for i in range(count):
        body = {"type": "space", "name": f"{prefix}{i}", "sdk": "gradio"}
        assert hub.client.post("/api/repos/create", json=body).status_code == 200


def _parts(path: Path) -> list[tuple[int, int]]:
    """(seq, how many pieces) of every snapshot with pieces in the (closed) file."""
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT seq, count(*) FROM snapshot_parts GROUP BY seq").fetchall()
    finally:
        db.close()


class Gate:
    """Holds the snapshot's writer before piece ``at``, as a slow disk or a long pickle would."""

    def __init__(self, hub: Durable, monkeypatch: pytest.MonkeyPatch, at: int = 0) -> None:
        self.reached, self.open = threading.Event(), threading.Event()
        write_part = hub.state.file.write_part

        def held(seq: int, part: int, data: bytes) -> None:
            if part == at:
                self.reached.set()
                self.open.wait(60)
            write_part(seq, part, data)

        monkeypatch.setattr(hub.state.file, "write_part", held)


def test_a_background_snapshot_holds_the_same_state_as_the_live_hub(tmp_path: Path) -> None:
    first = Durable(tmp_path / "state.db", snapshot_every=5, background=True)
    _create(first, 12)
    first.state.settle()
    taken = first.state.file.snapshot()
    assert taken is not None and taken.seq >= 5
    assert first.state.file.journal_length() == 12 - taken.seq
    before = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.replayed == 12 - taken.seq
    assert again.dump() == before
    assert again.state.diverged == []


def test_writes_go_on_while_a_snapshot_is_taken_and_stay_in_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Durable(tmp_path / "state.db", snapshot_every=5, background=True)
    gate = Gate(first, monkeypatch)
    _create(first, 5)  # the fifth starts a snapshot of the state after entry 5
    assert gate.reached.wait(60)
    _create(first, 3, "later")  # answered while the snapshot is still being written
    before = first.dump()
    gate.open.set()
    first.state.settle()
    taken = first.state.file.snapshot()
    assert taken is not None and taken.seq == 5
    assert first.state.file.journal_length() == 3  # the entries after it are kept
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.replayed == 3
    assert again.dump() == before


def test_a_kill_in_the_middle_of_a_snapshot_loses_nothing_and_its_pieces_are_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(background, "PART_BYTES", 512)  # many pieces: stop after some are in
    path = tmp_path / "state.db"
    first = Durable(path, snapshot_every=5, background=True)
    gate = Gate(first, monkeypatch, at=3)
    _create(first, 5)
    assert gate.reached.wait(60)
    _create(first, 2, "later")
    before = first.dump()
    first.client.close()
    first.state.file.close()  # as a kill -9 leaves it: three pieces of snapshot 5 written
    gate.open.set()
    first.state.settle(abandon=True)
    assert (5, 3) in _parts(path)
    again = Durable(path)
    assert again.replayed == 7  # the snapshot from the file's creation, then every entry
    assert again.dump() == before
    again.crash()
    assert _parts(path) == [(0, 1)]  # the interrupted snapshot's pieces are gone


def test_a_snapshot_process_that_dies_leaves_the_journal_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 60 Spaces pickle to well over a pipe's 64 KiB: with the reader held after its first
    # 512 bytes, the child cannot have finished when it is killed.
    monkeypatch.setattr(background, "PART_BYTES", 512)
    first = Durable(tmp_path / "state.db", snapshot_every=60, background=True)
    gate = Gate(first, monkeypatch)
    _create(first, 60)
    assert gate.reached.wait(60)
    taking = first.state.taking
    assert taking is not None
    os.kill(taking.pid, signal.SIGKILL)
    gate.open.set()
    first.state.settle()
    assert not taking.installed
    assert "cannot write a snapshot" in capsys.readouterr().err
    taken = first.state.file.snapshot()
    assert taken is not None and taken.seq == 0
    before = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.replayed == 60
    assert again.dump() == before


def test_a_reset_folds_at_once_and_drops_a_snapshot_being_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Durable(tmp_path / "state.db", snapshot_every=5, background=True)
    gate = Gate(first, monkeypatch)
    _create(first, 5)
    assert gate.reached.wait(60)
    taking = first.state.taking
    assert taking is not None
    stop = taking.abandon

    def abandon() -> None:  # let the held writer go once the reset has stopped the child
        gate.open.set()
        stop()

    monkeypatch.setattr(taking, "abandon", abandon)
    assert first.client.post("/_fakehub/reset").is_success
    assert first.state.file.journal_length() == 0
    fresh = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.replayed == 0
    assert again.dump() == fresh
    again.crash()
    assert [seq for seq, _ in _parts(tmp_path / "state.db")] == [6]  # the reset's, alone


def test_a_fork_that_fails_leaves_the_journal_whole_and_is_tried_again_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    first = Durable(tmp_path / "state.db", snapshot_every=3, background=True)
    opened = len(os.listdir("/proc/self/fd"))
    _create(first, 5)
    assert capsys.readouterr().err.count("cannot write a snapshot") == 1  # at 3, not 4 and 5
    assert len(os.listdir("/proc/self/fd")) == opened  # the pipe was closed
    before = first.dump()
    first.crash()
    again = Durable(tmp_path / "state.db")
    assert again.replayed == 5
    assert again.dump() == before
