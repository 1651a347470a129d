"""Record and replay: pin down what the Hub answered for a workflow, and replay it offline.

* :func:`start_recording_proxy` — a proxy in front of the real Hub (or any fakehub) that writes a
  cassette (:mod:`fakehub.recording.cassette`), scrubbed of credentials.
* :func:`start_replay_server` — serves a cassette with no network (record mode ``none``).
* :func:`open_cassette` — one entry point for every record mode (what the pytest plugin uses).
"""

from __future__ import annotations

from pathlib import Path

from fakehub.recording.cassette import (
    Cassette,
    CassetteCorrupt,
    CassetteError,
    CassetteNotFound,
    CassetteVersionError,
    Interaction,
    load,
    save,
)
from fakehub.recording.replay import MISS_CODE, MISS_STATUS
from fakehub.recording.server import (
    CassetteServer,
    start_recording_proxy,
    start_replay_server,
)
from fakehub.recording.session import RECORD_MODES, CassetteMismatch, CassetteSession, RecordMode

#: where record modes other than ``none`` send requests unless told otherwise
DEFAULT_UPSTREAM = "https://huggingface.co"


def open_cassette(
    path: str | Path,
    mode: str = "none",
    *,
    upstream: str | None = None,
    scrub: tuple[str, ...] = (),
    host: str = "127.0.0.1",
    port: int = 0,
) -> CassetteServer:
    """Serve ``path`` in record ``mode``; call ``.check()`` on its session after the test and
    ``.stop()`` to write the cassette. With mode ``none`` the upstream is never contacted."""
    session = CassetteSession(
        path, mode, None if mode == "none" else (upstream or DEFAULT_UPSTREAM), scrub
    )
    return CassetteServer(session, host, port).start()


__all__ = [
    "DEFAULT_UPSTREAM",
    "MISS_CODE",
    "MISS_STATUS",
    "RECORD_MODES",
    "Cassette",
    "CassetteCorrupt",
    "CassetteError",
    "CassetteMismatch",
    "CassetteNotFound",
    "CassetteServer",
    "CassetteSession",
    "CassetteVersionError",
    "Interaction",
    "RecordMode",
    "load",
    "open_cassette",
    "save",
    "start_recording_proxy",
    "start_replay_server",
]
