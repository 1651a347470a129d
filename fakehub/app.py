"""App assembly: routes, the virtual ``Date`` header, request ids, and error handling.

Errors are turned into responses in exactly one place (``fakehub.wire.errors``); this module only
wires handlers to it. Unexpected exceptions become a 500 *and* are kept in
``app.state.server_errors`` so the pytest plugin can fail the test with the server traceback.
"""

from __future__ import annotations

import itertools
import traceback
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.api import account
from fakehub.control import billing as control_billing
from fakehub.control import faults as control_faults
from fakehub.control import jobs as control_jobs
from fakehub.control import log as control_log
from fakehub.control import openapi as control_openapi
from fakehub.control import outages as control_outages
from fakehub.control import routes as control
from fakehub.control import scenario as control_scenario
from fakehub.control import spaces as control_spaces
from fakehub.domain.errors import HubError, NotImplementedByFake
from fakehub.faults.middleware import FaultMiddleware
from fakehub.hub import FakeHub
from fakehub.requestlog import RequestLogMiddleware
from fakehub.router import IndexedRouter
from fakehub.timefmt import http_date
from fakehub.wire.errors import error_body, error_response


@dataclass(frozen=True)
class ServerError:
    """An unexpected exception inside the fake, with where it happened."""

    method: str
    path: str
    traceback: str


class HubHeadersMiddleware:
    """Stamps every response with the virtual ``Date`` and an ``X-Request-Id``.

    2.4.0's log reader compares event timestamps with ``Date``, so ``Date`` must come from the
    virtual clock (uvicorn's own is switched off in :mod:`fakehub.server`).
    """

    def __init__(self, app: ASGIApp, hub: FakeHub) -> None:
        self.app = app
        self.hub = hub
        self._counter = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trace = ""
        for name, value in scope["headers"]:
            if name == b"x-amzn-trace-id":
                trace = value.decode("latin-1")
        request_id = f"Root=1-{next(self._counter):08x}-fakehub" + (f";{trace}" if trace else "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"date", b"x-request-id")
                ]
                headers.append((b"date", http_date(self.hub.ctx.clock.now()).encode()))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CrashGuard:
    """Turns an unexpected exception into a 500 and keeps its traceback.

    A bug in the fake is never the client's fault: the plugin fails the test with the traceback
    kept in ``server_errors``, the client gets a 500 that says so (if nothing was sent yet), and
    the server stays up. Installed twice: inside the header and log middlewares (so the 500 is
    stamped and logged) and outermost (for a bug in those middlewares themselves).
    """

    def __init__(self, app: ASGIApp, server_errors: list[ServerError]) -> None:
        self.app = app
        self.server_errors = server_errors

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
        except Exception as exc:
            self.server_errors.append(
                ServerError(
                    method=scope.get("method", ""),
                    path=scope.get("path", ""),
                    traceback="".join(traceback.format_exception(exc)),
                )
            )
            if not started:
                response = error_body(
                    500, f"Internal error in fakehub: {type(exc).__name__}: {exc}"
                )
                await response(scope, receive, send)


async def _hub_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HubError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_body(404, f"Not found: {request.method} {request.url.path}")
    if exc.status_code == 405:
        return error_body(
            405,
            f"Method {request.method} not allowed on {request.url.path}",
            headers=exc.headers,
        )
    return error_body(exc.status_code, str(exc.detail))


async def _not_implemented(request: Request) -> Response:
    raise NotImplementedByFake(
        f"fakehub does not implement {request.method} {request.url.path}: this Hub route is "
        "outside what fakehub fakes (Spaces runtime and Jobs)"
    )


def hub_routes() -> list[BaseRoute]:
    """Every Hub route, in matching order (fixed paths before ``{namespace}/{name}``)."""
    from fakehub.api import commits, jobs, repos, spaces

    # Space runtime routes come first: they hold the fixed paths (/api/spaces/hardware,
    # /api/spaces/zero-gpu/quota, ...) that would otherwise match /api/spaces/{namespace}/{name}.
    return [*account.routes, *spaces.routes, *repos.routes, *commits.routes, *jobs.routes]


def create_app(hub: FakeHub | None = None) -> Starlette:
    hub = hub or FakeHub()
    routes: list[BaseRoute] = [
        *control.routes,
        *control_faults.routes,
        *control_log.routes,
        *control_openapi.routes,
        *control_jobs.routes,
        *control_billing.routes,
        *control_outages.routes,
        *control_scenario.routes,
        *control_spaces.routes,
        *hub_routes(),
        Route(
            "/api/{rest:path}",
            _not_implemented,
            methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        ),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HubError: _hub_error,
            HTTPException: _http_error,
        },
    )
    # Same routes, same order: a request only tries those its first path segments allow.
    app.router = IndexedRouter(routes)
    app.state.hub = hub
    server_errors: list[ServerError] = []
    app.state.server_errors = server_errors
    # Innermost first: faults act on the route's answer, a crash becomes a 500, the headers
    # stamp whatever answered, the request log records what the client really got, and a last
    # guard catches a bug in the middlewares themselves.
    app.add_middleware(FaultMiddleware, hub=hub, router=app.router)
    app.add_middleware(CrashGuard, server_errors=server_errors)
    app.add_middleware(HubHeadersMiddleware, hub=hub)
    app.add_middleware(RequestLogMiddleware, hub=hub)
    app.add_middleware(CrashGuard, server_errors=server_errors)
    return app
