"""App assembly: routes, the virtual ``Date`` header, request ids, and error handling.

Errors are turned into responses in exactly one place (``fakehub.wire.errors``); this module only
wires handlers to it. Unexpected exceptions become a 500 *and* are kept in
``app.state.server_errors`` so the pytest plugin can fail the test with the server traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from fakehub.api import account, landing
from fakehub.control import billing as control_billing
from fakehub.control import events as control_events
from fakehub.control import faults as control_faults
from fakehub.control import inventory as control_inventory
from fakehub.control import jobs as control_jobs
from fakehub.control import log as control_log
from fakehub.control import openapi as control_openapi
from fakehub.control import outages as control_outages
from fakehub.control import routes as control
from fakehub.control import scenario as control_scenario
from fakehub.control import spaces as control_spaces
from fakehub.dashboard import routes as dashboard
from fakehub.domain.errors import HubError, NotImplementedByFake
from fakehub.hub import FakeHub
from fakehub.middleware import (
    AppHosts,
    AuthMiddleware,
    ChangeCounter,
    Changes,
    ControlGuard,
    CrashGuard,
    FaultMiddleware,
    HubHeadersMiddleware,
    RequestLogMiddleware,
    ServerError,
)
from fakehub.middleware.journal import JournalHooks, JournalMiddleware
from fakehub.router import IndexedRouter
from fakehub.wire.errors import error_body, error_response


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
    from fakehub.api import buckets, commits, downloads, history, jobs, lfs, repos, spaces, xet

    # Space runtime routes come first: they hold the fixed paths (/api/spaces/hardware,
    # /api/spaces/zero-gpu/quota, ...) that would otherwise match /api/spaces/{namespace}/{name}.
    return [
        *account.routes,
        *spaces.routes,
        *repos.routes,
        *commits.routes,
        *downloads.routes,
        *history.routes,
        *lfs.routes,
        *xet.routes,
        *buckets.routes,
        *jobs.routes,
    ]


def control_routes() -> list[BaseRoute]:
    """Every ``/_fakehub/*`` route but the dashboard's page and files."""
    return [
        *control.routes,
        *control_faults.routes,
        *control_log.routes,
        *control_openapi.routes,
        *control_jobs.routes,
        *control_billing.routes,
        *control_outages.routes,
        *control_scenario.routes,
        *control_spaces.routes,
        *control_inventory.routes,
        *control_events.routes,
    ]


def _routes() -> list[BaseRoute]:
    """Control routes, the dashboard, Hub routes, the landing page, then 501 for other ``/api/*``."""
    return [
        *control_routes(),
        *dashboard.routes,
        *hub_routes(),
        *landing.routes,
        Route(
            "/api/{rest:path}",
            _not_implemented,
            methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        ),
    ]


def create_app(
    hub: FakeHub | None = None,
    *,
    control_token: str | None = None,
    on_error: Callable[[ServerError], None] | None = None,
    journal: JournalHooks | None = None,  # serve --state: commit accepted writes first
) -> Starlette:
    """The fake Hub; ``control_token`` guards ``/_fakehub/*``, ``on_error`` hears every 500."""
    hub = hub or FakeHub()
    routes = _routes()
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
    app.state.changes = Changes()
    _stack_middlewares(app, hub, server_errors, on_error, control_token, journal)
    return app


def _stack_middlewares(
    app: Starlette,
    hub: FakeHub,
    server_errors: list[ServerError],
    on_error: Callable[[ServerError], None] | None,
    control_token: str | None,
    journal: JournalHooks | None = None,
) -> None:
    # Innermost first: faults act on the route's answer, a crash becomes a 500, the control
    # token is checked, the headers stamp whatever answered, the request log records what the
    # client really got, the caller is authenticated once for all of them, writes are counted
    # for the event stream, and a last guard catches a bug in the middlewares.
    # Each gets the narrow callables it needs, read at request time (a reset replaces them).
    app.add_middleware(
        FaultMiddleware, book=lambda: hub.faults, now=hub.read_clock, router=app.router
    )
    # Space app hosts: answered before any Hub route or fault (a visit, through the hub).
    app.add_middleware(AppHosts, serve=lambda *request: hub.spaces.serve_app(*request))
    app.add_middleware(CrashGuard, server_errors=server_errors, on_error=on_error)
    app.add_middleware(ControlGuard, token=control_token)
    app.add_middleware(HubHeadersMiddleware, now=hub.read_clock)
    if journal is not None:
        # Outside the faults (a fault's count and draws are state), inside the request log
        # (a replayed request is not logged) and after authentication (who asked is replayed).
        app.add_middleware(JournalMiddleware, hooks=journal)
    app.add_middleware(RequestLogMiddleware, log=lambda: hub.request_log, now=hub.read_clock)
    app.add_middleware(AuthMiddleware, authenticate=hub.authenticate)
    app.add_middleware(ChangeCounter, changes=app.state.changes)
    app.add_middleware(CrashGuard, server_errors=server_errors, on_error=on_error)
