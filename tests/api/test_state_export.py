"""``fakehub state export`` / ``import``: a setup shared as JSON, secret values left behind."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from fakehub.cli import main
from tests.durable import Durable

JOB = {
    "command": ["echo", "hi"],
    "flavor": "cpu-basic",
    "dockerImage": "python:3.12",
    "secrets": {"HF_TOKEN": "job-secret-value"},
}


def _setup(path: Path) -> Durable:
    hub = Durable(path)
    c = hub.client
    c.post("/api/repos/create", json={"type": "space", "name": "demo", "sdk": "gradio"})
    c.post("/api/spaces/fakeuser/demo/secrets", json={"key": "K", "value": "space-secret-value"})
    c.post("/api/spaces/fakeuser/demo/variables", json={"key": "V", "value": "1"})
    c.post("/api/jobs/fakeuser", json=JOB)
    c.post("/api/scheduled-jobs/fakeuser", json={"jobSpec": JOB, "schedule": "@hourly"})
    c.post("/_fakehub/clock/advance", json={"seconds": 30})
    return hub


def test_export_then_import_gives_the_same_state_without_secret_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _setup(tmp_path / "a.db")
    before = source.dump()
    source.crash()
    exported = tmp_path / "setup.json"
    assert main(["state", "export", str(exported), "--state", str(tmp_path / "a.db")]) == 0
    text = exported.read_text()
    restore = base64.b64decode(json.loads(text)["restore"])
    for secret in ("space-secret-value", "job-secret-value"):
        assert secret not in text
        assert secret.encode() not in restore
    assert json.loads(text)["state"]["space_store"] == before["space_store"]
    assert main(["state", "import", str(exported), "--state", str(tmp_path / "b.db")]) == 0
    out = capsys.readouterr().out
    assert "1 Spaces, 1 Jobs, 1 scheduled Jobs, 3 secrets emptied" in out
    imported = Durable(tmp_path / "b.db")
    # the same state (the dump never shows secret values, so emptied ones look the same)
    assert _unsecret(imported.dump()) == _unsecret(before)
    secrets = imported.client.get("/api/spaces/fakeuser/demo/secrets")
    assert "K" in secrets.text


def _unsecret(dump: object) -> str:
    return re.sub(r"<redacted:[0-9a-f]{8}>", "<redacted>", json.dumps(dump, sort_keys=True))


def test_import_refuses_an_existing_file_and_a_foreign_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _setup(tmp_path / "a.db")
    source.crash()
    exported = tmp_path / "setup.json"
    main(["state", "export", str(exported), "--state", str(tmp_path / "a.db")])
    assert main(["state", "import", str(exported), "--state", str(tmp_path / "a.db")]) == 2
    assert "already exists" in capsys.readouterr().err
    (tmp_path / "other.json").write_text('{"spaces": []}')
    assert (
        main(["state", "import", str(tmp_path / "other.json"), "--state", str(tmp_path / "c.db")])
        == 2
    )
    assert "not an exported fakehub state" in capsys.readouterr().err
    assert not (tmp_path / "c.db").exists()


def test_export_refuses_a_file_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    running = _setup(tmp_path / "a.db")
    assert (
        main(["state", "export", str(tmp_path / "x.json"), "--state", str(tmp_path / "a.db")]) == 2
    )
    assert "in use by another fakehub server" in capsys.readouterr().err
    running.crash()
