"""The one authentication step: the caller, found once, in the ASGI scope for what comes after.

Routes read it with :func:`fakehub.api.request.actor_of`, the request log with :func:`caller_of`.
A bad token is not refused here: it is kept, and refused (401) only by the routes that ask who
is calling, exactly as if they had read the header themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from fakehub.domain.accounts import Actor
from fakehub.domain.errors import HubError
from fakehub.requestlog import Auth

SCOPE_KEY = "fakehub.caller"

Authenticate = Callable[[str | None], Actor | None]


@dataclass(frozen=True)
class Caller:
    """Who sent a request: ``actor`` (``None``: anonymous or refused) and why."""

    actor: Actor | None
    auth: Auth
    #: what a route raises when it needs the caller and the credentials were refused
    refused: HubError | None = None


def authenticate_scope(authenticate: Authenticate, scope: Scope) -> Caller:
    header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
    try:
        actor = authenticate(header.decode("latin-1") if header is not None else None)
    except HubError as exc:
        return Caller(None, "invalid", exc)
    return Caller(actor, "anonymous" if actor is None else "token")


def caller_in(scope: Scope) -> Caller | None:
    caller = scope.get(SCOPE_KEY)
    return caller if isinstance(caller, Caller) else None


class AuthMiddleware:
    """``authenticate``: the hub's accounts' (an ``Authorization`` header to an actor)."""

    def __init__(self, app: ASGIApp, authenticate: Authenticate) -> None:
        self.app = app
        self.authenticate = authenticate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[SCOPE_KEY] = authenticate_scope(self.authenticate, scope)
        await self.app(scope, receive, send)
