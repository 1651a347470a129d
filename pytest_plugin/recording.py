"""Record/replay for ``fake_hub``: ``@pytest.mark.fake_hub(replay=PATH)``, ``--fakehub-record-mode``.

With ``replay=PATH`` the client is routed to a cassette server instead of the fake. Record mode
``none`` (the default, for CI) replays only and never contacts anything; ``once``,
``new_episodes`` and ``all`` record through the server to ``--fakehub-record-upstream`` (default:
the fake itself, i.e. this session's server or ``--fakehub-url``). A relative PATH is relative
to the test file. Requests the cassette cannot answer fail the test with the replay's message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all")


def add_options(group: Any) -> None:
    group.addoption(
        "--fakehub-record-mode",
        choices=RECORD_MODES,
        default="none",
        help="for tests marked fake_hub(replay=PATH): none (default: replay only, no network), "
        "once (record if the cassette is missing), new_episodes (record what it lacks), "
        "all (record anew)",
    )
    group.addoption(
        "--fakehub-record-upstream",
        metavar="URL",
        help="where recording modes send requests (default: the fake itself)",
    )


class CassetteBackend:
    """The session's backend, seen through a cassette server: same controls, other endpoint."""

    def __init__(self, backend: Any, server: Any) -> None:
        self._backend = backend
        self._cassette = server
        self.endpoint: str = server.url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    def drain_server_errors(self) -> list[Any]:
        errors: list[Any] = self._backend.drain_server_errors()
        return errors

    def drain_cassette_misses(self) -> list[str]:
        misses: list[str] = self._cassette.session.misses
        drained = list(misses)
        del misses[: len(drained)]
        return drained

    def close_cassette(self) -> None:
        self._cassette.stop()


def cassette_backend(item: pytest.Item, replay: Any, backend: Any) -> CassetteBackend | None:
    """Start the cassette server for ``replay`` (``None``: the test does not replay)."""
    if replay is None:
        return None
    from fakehub.recording import CassetteError, open_cassette

    path = Path(str(replay))
    if not path.is_absolute():
        path = Path(str(item.path)).parent / path
    config = item.config
    mode = config.getoption("fakehub_record_mode")
    upstream = config.getoption("fakehub_record_upstream") or backend.endpoint
    try:
        server = open_cassette(path, mode, upstream=upstream)
    except (CassetteError, ValueError) as exc:
        pytest.fail(f"fake_hub(replay=...): {exc}", pytrace=False)
    return CassetteBackend(backend, server)
