"""Serving a cassette session with uvicorn, on a thread (tests, the plugin) or in the foreground."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import uvicorn

from fakehub.recording.session import CassetteSession, create_app
from fakehub.server import bind, uvicorn_config


def _config(session: CassetteSession, host: str, port: int) -> uvicorn.Config:
    return uvicorn_config(create_app(session), host, port)


class CassetteServer:
    """A loopback server for one :class:`CassetteSession`; ``port=0`` picks a free port."""

    def __init__(self, session: CassetteSession, host: str = "127.0.0.1", port: int = 0) -> None:
        self.session = session
        self.host = host
        self.port = port
        self._server = uvicorn.Server(_config(session, host, port))
        self._thread = threading.Thread(target=self._run, name="fakehub-cassette", daemon=True)
        self._done = threading.Event()
        self._failure: BaseException | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def misses(self) -> list[str]:
        return list(self.session.misses)

    def _run(self) -> None:
        assert self._socket is not None  # bound by start()
        try:
            asyncio.run(_serve(self._server, self.session, self._socket))
        except BaseException as exc:  # reported by start()
            self._failure = exc
        finally:
            self._done.set()

    def start(self, timeout: float = 10.0) -> CassetteServer:
        if self._thread.is_alive():
            return self  # already started (``with start_replay_server(...) as server``)
        # Bound here, so a taken port is fakehub.server.CannotBind (one line), not a traceback.
        self._socket = bind(self.host, self.port)
        self._thread.start()
        for _ in range(int(timeout * 100)):
            if self._server.started or self._done.is_set():
                break
            self._done.wait(0.01)
        if self._failure is not None or not self._server.started:
            raise RuntimeError(
                f"fakehub cassette server did not start on {self.host}:{self.port}"
            ) from self._failure
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Stop serving and write the cassette a last time (streams still open are kept open)."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.session.save()

    def __enter__(self) -> CassetteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _serve(server: uvicorn.Server, session: CassetteSession, sock: socket.socket) -> None:
    try:
        await server.serve(sockets=[sock])
    finally:
        await session.aclose()


def serve_forever(
    session: CassetteSession, host: str, port: int, on_ready: Callable[[str], None]
) -> None:
    """Run in the foreground until interrupted; the cassette is saved on the way out."""
    server = CassetteServer(session, host, port).start()
    on_ready(server.url)
    try:
        server._done.wait()
    finally:
        server.stop()


def start_replay_server(
    path: str | Path, *, host: str = "127.0.0.1", port: int = 0, scrub: tuple[str, ...] = ()
) -> CassetteServer:
    """Replay ``path`` (record mode ``none``): nothing leaves the machine."""
    return CassetteServer(CassetteSession(path, "none", scrub=scrub), host, port).start()


def start_recording_proxy(
    upstream: str,
    path: str | Path,
    mode: str = "all",
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    scrub: tuple[str, ...] = (),
) -> CassetteServer:
    """Record what ``upstream`` answers into ``path`` (``all``, ``once`` or ``new_episodes``)."""
    return CassetteServer(CassetteSession(path, mode, upstream, scrub), host, port).start()
