"""The control token: who may drive ``/_fakehub/*`` when the server is reachable by others.

``fakehub serve --control-token TOKEN`` (or ``$FAKEHUB_CONTROL_TOKEN``) makes every control
route need ``Authorization: Bearer TOKEN``; anything else is a 401 in the Hub's error format
(:class:`fakehub.middleware.ControlGuard`). Without a token nothing changes: the control API is
open, as it always was on loopback. Hub routes are never affected (their ``Authorization`` is
the caller's Hub token).

:func:`control_allowed` is the whole check, so any other door to the control API (a dashboard)
asks the same question.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping

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
