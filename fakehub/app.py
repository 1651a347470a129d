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
from fakehub.middleware import Changes, Crashes, CrashGuard, Gate, HubEdge, ServerError
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
    # Innermost first. The gate: the control token, Space app hosts (answered before any Hub
    # route or fault: a visit, through the hub) and faults (acting on the route's answer), each
    # only when it has something to do. The journal (serve --state) sits outside the faults (a
    # fault's count and draws are state) and after authentication (who asked is replayed), with
    # a crash guard of its own inside so that a crashed request is journaled like any answer.
    # The edge, outermost: authentication, the request id, the Date and charset stamps, the
    # request log (what the client really got), the write count, and the crash guard.
    # Each gets the narrow callables it needs, read at request time (a reset replaces them).
    crashes = Crashes(server_errors, on_error)
    app.add_middleware(
        Gate,
        token=control_token,
        serve=lambda *request: hub.spaces.serve_app(*request),
        book=lambda: hub.faults,
        now=hub.read_clock,
        router=app.router,
    )
    if journal is not None:
        app.add_middleware(CrashGuard, crashes=crashes)
        app.add_middleware(JournalMiddleware, hooks=journal)
    app.add_middleware(
        HubEdge,
        authenticate=hub.authenticate,
        log=lambda: hub.request_log,
        now=hub.read_clock,
        changes=app.state.changes,
        crashes=crashes,
    )
