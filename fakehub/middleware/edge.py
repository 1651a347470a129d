"""The edge: one pure-ASGI layer for what every request and every answer needs.

It reads the request's headers once and, in this order: authenticates the caller
(:mod:`.auth`), numbers the request (``X-Request-Id``, :mod:`.headers`) and names the Space app
host it is for, if any (``APP_HOST_KEY``), all left in the scope for what comes after. When the
answer starts, one ``send`` wrapper stamps it (virtual ``Date``, the id, the JSON charset),
records it in the request log (:mod:`.requestlog`, Hub requests only) and counts it if it was a
write (:mod:`.changes`, which also counts every request in and out, for the pytest plugin). A
crash anywhere inside becomes a stamped, logged 500 and a kept traceback (:mod:`.crash`); a
crash in the stamping itself still gets an unstamped 500.

These used to be six stacked middlewares, each with its own ``send`` wrapper: a runtime read
paid for all of them. What sits inside the edge: the ``serve --state`` journal when there is
one, then :class:`fakehub.middleware.gate.Gate` (control token, app hosts, faults).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.domain.spaces.apphost import app_host_from
from fakehub.faults.note import is_control
from fakehub.middleware import requestlog
from fakehub.middleware.auth import SCOPE_KEY, Authenticate, authenticate_header
from fakehub.middleware.changes import READS, Changes
from fakehub.middleware.crash import Crashes, crash_answer
from fakehub.middleware.headers import REQUEST_ID_KEY, RequestIds, stamp
from fakehub.requestlog import RequestLog

#: the Space app host a request is for (``owner-name.hf.space``), or None: found once, here
APP_HOST_KEY = "fakehub.app_host"


def _heads(scope: Scope) -> tuple[bytes | None, bytes | None, bytes, bytes]:
    """``Authorization``, ``X-Amzn-Trace-Id``, ``X-Forwarded-Host`` and ``Host``, in one pass."""
    authorization = trace = None
    forwarded = host = b""
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = authorization if authorization is not None else value
        elif name == b"host":
            host = value
        elif name == b"x-forwarded-host":
            forwarded = value
        elif name == b"x-amzn-trace-id":
            trace = value
    return authorization, trace, forwarded, host


class HubEdge:
    """``authenticate``: the hub's accounts'; ``log``: the hub's current request log (a reset
    starts a new one); ``now``: the virtual clock; ``changes``: the write count;
    ``crashes``: where crashes are kept."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        authenticate: Authenticate,
        log: Callable[[], RequestLog],
        now: Callable[[], int],
        changes: Changes,
        crashes: Crashes,
    ) -> None:
        self.app = app
        self.authenticate = authenticate
        self.log = log
        self.now = now
        self.changes = changes
        self.crashes = crashes
        self.ids = RequestIds()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        changes = self.changes
        changes.arrived += 1
        try:
            await self._answer(scope, receive, send)
        finally:
            changes.done += 1  # answered, failed or cut off: the app is done with it

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        # size: one request's whole path through the edge reads best in one place
        try:
            authorization, trace, forwarded, host = _heads(scope)
            scope[SCOPE_KEY] = authenticate_header(self.authenticate, authorization)
            request_id = scope[REQUEST_ID_KEY] = self.ids.next(trace)
            app_host = scope[APP_HOST_KEY] = app_host_from(forwarded, host)
            logged = not is_control(scope["path"])
            if logged:  # a reset during the request starts a new log: keep this one
                log, at_ns, who = self.log(), self.now(), requestlog.caller_of(scope)
        except Exception as exc:  # a bug in the edge itself: nothing is stamped yet
            self.crashes.keep(exc, scope)
            await crash_answer(exc)(scope, receive, send)
            return
        write = scope["method"] not in READS
        raw_id = request_id.encode("latin-1")
        started = broken = False

        async def edge_send(message: Message) -> None:
            nonlocal started, broken
            if message["type"] == "http.response.start":
                try:
                    status = message["status"]
                    headers = stamp(message.get("headers", ()), self.now(), raw_id)
                    message = {**message, "headers": headers}
                    if write:
                        self.changes.writes += 1
                    if logged:
                        requestlog.record_answer(
                            log, scope, at_ns, who, app_host, status, request_id
                        )
                except Exception:
                    broken = True  # the crash answer cannot go through this either
                    raise
                started = True
            await send(message)

        await self.crashes.guard(
            self.app,
            scope,
            receive,
            edge_send,
            lambda: None if started else (send if broken else edge_send),
        )
