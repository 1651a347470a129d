"""Fills the request log (:mod:`fakehub.requestlog`) with what each Hub request got.

Outermost but for the authentication step: it sees the answer the client really got (faults,
500s, ``X-Request-Id``) and the caller the authentication step found.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.domain.spaces.apphost import app_host_of
from fakehub.faults.note import SCOPE_KEY, is_control
from fakehub.middleware.auth import caller_in
from fakehub.requestlog import Auth, RequestLog, redact_query


def caller_of(scope: Scope) -> tuple[str | None, str | None, Auth]:
    """User name, token role and kind of authentication (never the token itself)."""
    caller = caller_in(scope)
    if caller is None or caller.actor is None:
        return None, None, caller.auth if caller is not None else "anonymous"
    return caller.actor.name, caller.actor.role, caller.auth


def _request_id(message: Message) -> str | None:
    return next(
        (
            v.decode("latin-1")
            for k, v in message.get("headers", [])
            if k.lower() == b"x-request-id"
        ),
        None,
    )


class RequestLogMiddleware:
    """``log``: the hub's current request log (a reset starts a new one); ``now``: the clock."""

    def __init__(self, app: ASGIApp, log: Callable[[], RequestLog], now: Callable[[], int]) -> None:
        self.app = app
        self.log = log
        self.now = now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        log = self.log()  # a reset during the request starts a new log: keep this one
        at_ns = self.now()
        user, role, auth = caller_of(scope)

        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                log.record(
                    at_ns=at_ns,
                    method=scope["method"],
                    path=scope["path"],
                    host=app_host_of(scope),
                    query=redact_query(scope.get("query_string", b"")),
                    user=user,
                    role=role,
                    auth=auth,
                    status=message["status"],
                    request_id=_request_id(message),
                    fault=scope.get(SCOPE_KEY),
                )
            await send(message)

        await self.app(scope, receive, logging_send)
