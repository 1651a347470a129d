"""The control token check in front of ``/_fakehub/*`` (see :mod:`fakehub.control.guard`)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from fakehub.control.guard import CONTROL_TOKEN_ENV, control_allowed
from fakehub.dashboard.routes import serves_files_only
from fakehub.domain.errors import Unauthorized
from fakehub.faults.note import is_control
from fakehub.middleware.journal import REPLAY_KEY
from fakehub.wire.errors import error_response


class ControlGuard:
    """Refuses control requests without the control token (a 401 naming what is missing)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.token is None
            or scope["type"] != "http"
            or not is_control(scope["path"])
            or serves_files_only(scope["path"])  # the dashboard page asks for the token itself
        ):
            await self.app(scope, receive, send)
            return
        if scope.get(REPLAY_KEY):  # accepted when it was journaled, whatever the token is now
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
