"""The layers a request passes only when they have something to do with it.

The control-token check (:mod:`.control`: only with a token, only for ``/_fakehub/*``), the
Space app hosts (:mod:`.apphost`: only for an app host's ``Host``) and the fault rules
(:mod:`.faults`: only while the book holds a rule) each pass a plain Hub request on untouched;
the gate asks their three questions up front and sends such a request straight to the routes.
Any other request goes through all three, in that order, exactly as if they were stacked.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.routing import Router
from starlette.types import ASGIApp, Receive, Scope, Send

from fakehub.domain.spaces.apphost import app_host_of
from fakehub.faults.book import FaultBook
from fakehub.faults.note import is_control
from fakehub.middleware.apphost import AppHosts, Serve
from fakehub.middleware.control import ControlGuard
from fakehub.middleware.edge import APP_HOST_KEY
from fakehub.middleware.faults import FaultMiddleware


class Gate:
    """``token``: the control token (None: none); ``serve``: the hub's app-host answers;
    ``book``: the hub's current fault book; ``now``: the virtual clock; ``router``: the app's."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        serve: Serve,
        book: Callable[[], FaultBook],
        now: Callable[[], int],
        router: Router,
    ) -> None:
        self.app = app
        self.token = token
        self.book = book
        faults = FaultMiddleware(app, book=book, now=now, router=router)
        self.layers = ControlGuard(AppHosts(faults, serve), token)

    def _passes(self, scope: Scope) -> bool:
        """Whether none of the three layers has anything to do with this request."""
        if self.token is not None and is_control(scope["path"]):
            return False
        host = scope[APP_HOST_KEY] if APP_HOST_KEY in scope else app_host_of(scope)
        return host is None and not self.book()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._passes(scope):
            await self.app(scope, receive, send)
        else:
            await self.layers(scope, receive, send)
