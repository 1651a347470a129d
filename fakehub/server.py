"""Serving the app with uvicorn: in a background thread (tests, the plugin) or in the foreground."""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
import threading
from typing import Any

import uvicorn

from fakehub.app import create_app
from fakehub.connections import DEFAULT_REQUEST_TIMEOUT, guarded_protocol
from fakehub.hub import FakeHub
from fakehub.middleware import ServerError
from fakehub.store import DurableState


def uvicorn_config(
    app: Any, host: str, port: int, *, request_timeout: float = DEFAULT_REQUEST_TIMEOUT
) -> uvicorn.Config:
    """How every fakehub server runs (the fake, the recording proxy, the replay server).

    ``request_timeout``: seconds a client has to send a request's head, or may stay silent
    inside its body (:mod:`fakehub.connections`); idle keep-alive stays uvicorn's 5 s.
    """
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(request_timeout),
        log_level="warning",
        lifespan="off",
        # The Date header is the app's own: the virtual clock (middleware/edge.py), or the
        # recorded one when replaying a cassette.
        date_header=False,
        server_header=False,
        # Log streams may stay open while a job runs; do not let shutdown hang on them.
        timeout_graceful_shutdown=1,
    )


class ServerThread:
    """A loopback uvicorn server on a thread of its own; ``port=0`` picks a free port."""

    def __init__(
        self,
        hub: FakeHub | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        control_token: str | None = None,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    ) -> None:
        self.hub = hub or FakeHub()
        self.app = create_app(self.hub, control_token=control_token)
        config = uvicorn_config(self.app, host, port, request_timeout=request_timeout)
        self._server = uvicorn.Server(config)
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


class CannotBind(OSError):
    """The address could not be bound; ``str()`` is one line a person can act on."""


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket on ``host:port`` (bound here so a failure reads as one line)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off only on sockets that say they are TCP; with
    # protocol 0 every answer waited ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CannotBind(
                f"port {port} on {host} is already in use; pick another with --port, or --port 0 "
                "for a free one"
            ) from None
        raise CannotBind(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def print_server_error(error: ServerError) -> None:
    """A 500 in ``fakehub serve``: the person running it sees the traceback and request id."""
    print(error.report(), file=sys.stderr, flush=True)


def serve_forever(
    hub: FakeHub,
    host: str,
    port: int,
    on_ready: Any = None,
    *,
    control_token: str | None = None,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    state: DurableState | None = None,
) -> None:
    """Run in the foreground until interrupted; ``on_ready(url)`` once the socket is bound.

    Raises :class:`CannotBind` (before serving anything) when the port is taken. ``state``:
    restored before listening, clock saved every second, one snapshot left on a clean stop.
    """
    sock = bind(host, port)
    journal = state.hooks() if state is not None else None
    app = create_app(hub, control_token=control_token, on_error=print_server_error, journal=journal)
    server = uvicorn.Server(uvicorn_config(app, host, port, request_timeout=request_timeout))

    async def main() -> None:
        if state is not None:
            await state.restore(app)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                await task
                return
            await asyncio.sleep(0.01)
        bound = next(s for srv in server.servers for s in srv.sockets).getsockname()
        if on_ready is not None:
            on_ready(f"http://{host}:{bound[1]}")
        await _until_done(task, state)

    try:
        asyncio.run(main())
    finally:
        if state is not None:
            state.close()


async def _until_done(task: asyncio.Task[None], state: DurableState | None) -> None:
    """Wait for the server; with a state file, save the virtual now every second meanwhile."""
    while state is not None and not task.done():
        await asyncio.wait({task}, timeout=1.0)
        state.heartbeat()
    await task
