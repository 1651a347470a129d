"""The crash guard: a bug in the fake becomes a 500 that says so, and its traceback is kept."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.middleware.headers import REQUEST_ID_KEY
from fakehub.wire.errors import error_body


@dataclass(frozen=True)
class ServerError:
    """An unexpected exception inside the fake, with where it happened."""

    method: str
    path: str
    traceback: str
    #: the ``X-Request-Id`` the client got (or would have got), to find it in both logs
    request_id: str = ""

    def report(self) -> str:
        """The text ``fakehub serve`` prints on stderr."""
        return (
            f"fakehub: 500 on {self.method} {self.path} (X-Request-Id: {self.request_id})\n"
            f"{self.traceback}"
        )


class CrashGuard:
    """Turns an unexpected exception into a 500 and keeps its traceback.

    A bug in the fake is never the client's fault: the plugin fails the test with the traceback
    kept in ``server_errors``, the client gets a 500 that says so (if nothing was sent yet), and
    the server stays up. Installed twice: inside the header and log middlewares (so the 500 is
    stamped and logged) and outermost (for a bug in those middlewares themselves).
    """

    def __init__(
        self,
        app: ASGIApp,
        server_errors: list[ServerError],
        on_error: Callable[[ServerError], None] | None = None,
    ) -> None:
        self.app = app
        self.server_errors = server_errors
        #: also told of every error (``fakehub serve`` prints it on stderr)
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except ClientDisconnect:
            return  # the client left mid-body (or was dropped for going silent): nobody to answer
        except Exception as exc:
            error = ServerError(
                method=scope.get("method", ""),
                path=scope.get("path", ""),
                traceback="".join(traceback.format_exception(exc)),
                request_id=scope.get(REQUEST_ID_KEY, ""),
            )
            self.server_errors.append(error)
            if self.on_error is not None:
                self.on_error(error)
            if not started:
                response = error_body(
                    500, f"Internal error in fakehub: {type(exc).__name__}: {exc}"
                )
                await response(scope, receive, send)
