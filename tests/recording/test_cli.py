"""``fakehub record`` / ``fakehub replay``: the errors a person sees (served runs: test_client_session)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from fakehub.cli import main


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    err: str = capsys.readouterr().err
    return err


def test_replay_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(["replay", str(tmp_path / "none.yaml"), "--port", "0"], capsys)
    assert err.startswith("fakehub replay: cassette not found: ")
    assert "fakehub record --upstream URL" in err


def test_replay_of_a_corrupt_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\ninteractions: {oops\n")
    assert "is not valid YAML at line" in _fails(["replay", str(path)], capsys)


def test_replay_of_a_newer_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "v9.yaml"
    path.write_text("version: 9\ninteractions: []\n")
    err = _fails(["replay", str(path)], capsys)
    assert "has version 9; this fakehub" in err and "reads cassette version 1 only" in err


def test_record_with_a_bad_pattern(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["record", "--upstream", "http://127.0.0.1:9", "--out", str(tmp_path / "c.yaml")]
    err = _fails([*argv, "--scrub", "[unclosed"], capsys)
    assert "--scrub '[unclosed': not a valid regular expression" in err
    assert not (tmp_path / "c.yaml").exists()


def test_record_needs_upstream_and_out(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["record", "--out", "x.yaml"])
    assert exit_.value.code == 2
    assert "--upstream" in capsys.readouterr().err


def test_replay_on_a_busy_port_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = tmp_path / "c.yaml"
    cassette.write_text("version: 1\ninteractions: []\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["replay", "--port", str(port), str(cassette)]) == 2
    assert capsys.readouterr().err == (
        f"fakehub replay: port {port} on 127.0.0.1 is already in use; pick another with "
        "--port, or --port 0 for a free one\n"
    )
