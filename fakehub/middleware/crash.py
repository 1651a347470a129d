"""The crash guard: a bug in the fake becomes a 500 that says so, and its traceback is kept."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import ClientDisconnect
from starlette.responses import Response
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


def crash_report(exc: Exception, scope: Scope) -> ServerError:
    """What is kept of an unexpected exception raised while answering ``scope``."""
    return ServerError(
        method=scope.get("method", ""),
        path=scope.get("path", ""),
        traceback="".join(traceback.format_exception(exc)),
        request_id=scope.get(REQUEST_ID_KEY, ""),
    )


def crash_answer(exc: Exception) -> Response:
    """The 500 a client gets for a bug in the fake (if nothing was sent yet)."""
    return error_body(500, f"Internal error in fakehub: {type(exc).__name__}: {exc}")


class Crashes:
    """Where crashes go: ``server_errors`` (the plugin fails the test with them) and
    ``on_error`` (``fakehub serve`` prints each on stderr)."""

    def __init__(
        self,
        server_errors: list[ServerError],
        on_error: Callable[[ServerError], None] | None = None,
    ) -> None:
        self.server_errors = server_errors
        self.on_error = on_error

    def keep(self, exc: Exception, scope: Scope) -> None:
        error = crash_report(exc, scope)
        self.server_errors.append(error)
        if self.on_error is not None:
            self.on_error(error)

    async def guard(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, answer: _AnswerTo
    ) -> None:
        """Runs ``app``; a crash is kept and answered with a 500 on ``answer()``'s send, or
        not at all if that is ``None`` (the answer had started: the client sees it cut off)."""
        try:
            await app(scope, receive, send)
        except ClientDisconnect:
            return  # the client left mid-body (or was dropped for going silent): nobody to answer
        except Exception as exc:
            self.keep(exc, scope)
            to = answer()
            if to is not None:
                await crash_answer(exc)(scope, receive, to)


#: where a crash's 500 goes: a send, or ``None`` once the answer has started
_AnswerTo = Callable[[], Send | None]


class CrashGuard:
    """Turns an unexpected exception into a 500 and keeps its traceback.

    A bug in the fake is never the client's fault: the plugin fails the test with the traceback
    kept in ``server_errors``, the client gets a 500 that says so (if nothing was sent yet), and
    the server stays up. The edge (:mod:`.edge`) guards every request this way; this layer
    guards the routes again inside the ``serve --state`` journal, so that a crashed request's
    500 is journaled like any answer.
    """

    def __init__(self, app: ASGIApp, crashes: Crashes) -> None:
        self.app = app
        self.crashes = crashes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.crashes.guard(
            self.app, scope, receive, watching_send, lambda: None if started else send
        )
