"""The one authentication step: the caller, found once, in the ASGI scope for what comes after.

Routes read it with :func:`fakehub.api.request.actor_of`, the request log with :func:`caller_of`.
A bad token is not refused here: it is kept, and refused (401) only by the routes that ask who
is calling, exactly as if they had read the header themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from starlette.types import Scope

from fakehub.domain.accounts import Actor
from fakehub.domain.errors import HubError
from fakehub.requestlog import Auth

SCOPE_KEY = "fakehub.caller"

Authenticate = Callable[[str | None], Actor | None]


class Caller(NamedTuple):
    """Who sent a request: ``actor`` (``None``: anonymous or refused) and why.

    A named tuple, not a frozen dataclass: one is built for every request, and a frozen
    dataclass's ``__init__`` costs several times more.
    """

    actor: Actor | None
    auth: Auth
    #: what a route raises when it needs the caller and the credentials were refused
    refused: HubError | None = None


def authenticate_scope(authenticate: Authenticate, scope: Scope) -> Caller:
    header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
    return authenticate_header(authenticate, header)


def authenticate_header(authenticate: Authenticate, header: bytes | None) -> Caller:
    """The caller behind a raw ``Authorization`` header (``None``: there was none)."""
    try:
        actor = authenticate(header.decode("latin-1") if header is not None else None)
    except HubError as exc:
        return Caller(None, "invalid", exc)
    return Caller(actor, "anonymous" if actor is None else "token")


def caller_in(scope: Scope) -> Caller | None:
    caller = scope.get(SCOPE_KEY)
    return caller if isinstance(caller, Caller) else None
