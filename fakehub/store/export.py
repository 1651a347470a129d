"""``fakehub state export`` / ``import``: a state file as one JSON document, to share a setup.

The document holds the canonical dump (``GET /_fakehub/state``: what to read and diff) and the
state itself, to restore (base64 of the snapshot, readable by the same fakehub version only).
Secret values never leave the file: Space secrets and Job secrets are exported with empty
values (their names stay), so an imported setup needs them set again.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import dataclasses
import json
import pickle
from pathlib import Path
from typing import Any

from fakehub import __version__
from fakehub.app import create_app
from fakehub.hub import FakeHub
from fakehub.store import snapshot
from fakehub.store.durable import DurableState
from fakehub.store.file import FORMAT, StateFile, StateFileError

KIND = "fakehub-state"


def export_state(state_path: str | Path, out: str | Path) -> dict[str, int]:
    """Write the document for the state file at ``state_path``; counts of what it holds."""
    hub = FakeHub()
    state = DurableState(StateFile.open(state_path), hub)
    try:
        asyncio.run(state.restore(create_app(hub)))
        dump = hub.dump()
        held = pickle.loads(snapshot.dumps(hub))  # a copy whose secrets can be emptied
    finally:
        state.file.close()  # the file is read, never written
    counts = _forget_secrets(held)
    document = {
        "kind": KIND,
        "format": FORMAT,
        "fakehub": __version__,
        "nowNs": hub.read_clock(),
        "secretsEmptied": counts["secrets emptied"],
        "state": dump,
        "restore": base64.b64encode(snapshot.dumps_mapping(held)).decode("ascii"),
    }
    Path(out).write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    return counts


def import_state(document_path: str | Path, state_path: str | Path) -> dict[str, int]:
    """Make a new state file at ``state_path`` from an exported document."""
    target = Path(state_path)
    if target.exists() and target.stat().st_size > 0:
        raise StateFileError(f"{target}: already exists; import into a new file")
    document = _read(Path(document_path))
    hub = FakeHub()
    snapshot.restore(hub, _blob(document), int(document["nowNs"]))
    with hub.holding() as held:
        counts = {**_count(held), "secrets emptied": int(document.get("secretsEmptied", 0))}
    DurableState(StateFile.open(target), hub).file.close()  # a new file folds on creation
    return counts


def _read(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise StateFileError(f"{path}: not an exported fakehub state ({exc})") from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise StateFileError(f"{path}: not an exported fakehub state (no kind {KIND!r})")
    if document.get("fakehub") != __version__:
        raise StateFileError(
            f"{path}: exported by fakehub {document.get('fakehub')}, this is fakehub "
            f"{__version__}: import it with that version"
        )
    return document


def _blob(document: dict[str, Any]) -> bytes:
    try:
        return base64.b64decode(document["restore"], validate=True)
    except (KeyError, TypeError, binascii.Error):
        raise StateFileError("the export has no readable 'restore' member") from None


def _forget_secrets(held: dict[str, Any]) -> dict[str, int]:
    emptied = 0
    for space in held["space_store"]._spaces.values():
        emptied += len(space.secrets)
        space.secrets = {k: dataclasses.replace(v, value="") for k, v in space.secrets.items()}
    jobs = held["jobs"]
    for record in [*jobs.runs.jobs.values(), *jobs.scheduled.items.values()]:
        emptied += len(record.spec.secrets)
        blank = dict.fromkeys(record.spec.secrets, "")
        record.spec = dataclasses.replace(record.spec, secrets=blank)
    return {**_count(held), "secrets emptied": emptied}


def _count(held: Any) -> dict[str, int]:
    jobs = held["jobs"]
    return {
        "Spaces": len(held["space_store"]._spaces),
        "Jobs": len(jobs.runs.jobs),
        "scheduled Jobs": len(jobs.scheduled.items),
    }
