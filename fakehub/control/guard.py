"""The control token: who may drive ``/_fakehub/*`` when the server is reachable by others.

``fakehub serve --control-token TOKEN`` (or ``$FAKEHUB_CONTROL_TOKEN``) makes every control
route need ``Authorization: Bearer TOKEN``; anything else is a 401 in the Hub's error format.
Without a token nothing changes: the control API is open, as it always was on loopback. Hub
routes are never affected (their ``Authorization`` is the caller's Hub token).

:func:`control_allowed` is the whole check, so any other door to the control API (a dashboard)
asks the same question; :class:`ControlGuard` applies it to the app.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

from fakehub.domain.errors import Unauthorized
from fakehub.faults.middleware import is_control
from fakehub.wire.errors import error_response

#: where ``fakehub serve``, ``fakehub control``, the plugin and ``ControlClient`` find the token
CONTROL_TOKEN_ENV = "FAKEHUB_CONTROL_TOKEN"


def token_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """``$FAKEHUB_CONTROL_TOKEN``, or ``None`` when unset or empty."""
    value = (os.environ if environ is None else environ).get(CONTROL_TOKEN_ENV, "")
    return value or None


def control_allowed(authorization: str | None, token: str | None) -> bool:
    """May a request with this ``Authorization`` header use the control API?"""
    if token is None:
        return True
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    # compare_digest: the time taken says nothing about how much of the token was right
    return hmac.compare_digest(given.strip().encode(), token.encode())


class ControlGuard:
    """Refuses control requests without the control token (a 401 naming what is missing)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is None or scope["type"] != "http" or not is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        if control_allowed(None if header is None else header.decode("latin-1"), self.token):
            await self.app(scope, receive, send)
            return
        error = Unauthorized(
            "The control API needs 'Authorization: Bearer <control token>' (this server was "
            f"started with --control-token; clients read ${CONTROL_TOKEN_ENV})"
        )
        response = error_response(error, extra_headers={"WWW-Authenticate": "Bearer"})
        await response(scope, receive, send)


__all__ = [
    "CONTROL_TOKEN_ENV",
    "ControlGuard",
    "control_allowed",
    "token_from_env",
]
