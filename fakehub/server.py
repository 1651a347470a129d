"""Serving the app with uvicorn: in a background thread (tests, the plugin) or in the foreground."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import uvicorn

from fakehub.app import create_app
from fakehub.hub import FakeHub
from fakehub.store import DurableState


def uvicorn_config(app: Any, host: str, port: int) -> uvicorn.Config:
    """How every fakehub server runs (the fake, the recording proxy, the replay server)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="off",
        # The Date header is the app's own: the virtual clock (HubHeadersMiddleware), or the
        # recorded one when replaying a cassette.
        date_header=False,
        server_header=False,
        # Log streams may stay open while a job runs; do not let shutdown hang on them.
        timeout_graceful_shutdown=1,
    )


class ServerThread:
    """A loopback uvicorn server on a thread of its own; ``port=0`` picks a free port."""

    def __init__(self, hub: FakeHub | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.hub = hub or FakeHub()
        self.app = create_app(self.hub)
        self._server = uvicorn.Server(uvicorn_config(self.app, host, port))
        self._thread = threading.Thread(target=self._run, name="fakehub-server", daemon=True)
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self.host = host
        self.port = port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        try:
            asyncio.run(self._server.serve())
        except BaseException as exc:  # reported to start()
            self._failure = exc
        finally:
            self._started.set()

    def start(self, timeout: float = 10.0) -> ServerThread:
        self._thread.start()
        for _ in range(int(timeout * 100)):
            if self._server.started or self._started.is_set():
                break
            self._started.wait(0.01)
        if self._failure is not None or not self._server.started:
            raise RuntimeError(f"fakehub server did not start on {self.host}:{self.port}") from (
                self._failure
            )
        sockets = [s for server in self._server.servers for s in server.sockets]
        self.port = sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(
    hub: FakeHub,
    host: str,
    port: int,
    on_ready: Any = None,
    state: DurableState | None = None,
) -> None:
    """Run in the foreground until interrupted; ``on_ready(url)`` once the socket is bound.

    With ``state``, the journal after its snapshot is replayed before the socket is bound, the
    virtual now is saved every second, and a clean shutdown leaves one snapshot behind.
    """
    app = create_app(hub, journal=state.hooks() if state is not None else None)
    server = uvicorn.Server(uvicorn_config(app, host, port))

    async def main() -> None:
        if state is not None:
            await state.restore(app)
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                await task
                return
            await asyncio.sleep(0.01)
        bound = next(s for srv in server.servers for s in srv.sockets).getsockname()
        if on_ready is not None:
            on_ready(f"http://{host}:{bound[1]}")
        while state is not None and not task.done():
            await asyncio.wait({task}, timeout=1.0)
            state.heartbeat()
        await task

    try:
        asyncio.run(main())
    finally:
        if state is not None:
            state.close()
