"""Space app hosts (``https://<owner>-<name>.hf.space/...``) on the fake's own server.

A request whose ``Host`` (or, from the plugin's socket route, ``X-Forwarded-Host``) is a Space's
app host is answered here on the app's behalf — what for which stage is
:mod:`fakehub.domain.spaces.apphost`'s call — and never reaches the Hub's routes. Reach one on
``fakehub serve`` with ``curl -H 'Host: owner-name.hf.space' http://127.0.0.1:PORT/``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from fakehub.domain.spaces.apphost import AppAnswer, app_host_of
from fakehub.middleware.journal import REPLAY_KEY

#: ``(host, method, path)`` to the answer: the hub's ``spaces.serve_app`` (a visit)
Serve = Callable[[str, str, str], AppAnswer]


class AppHosts:
    """Sends app-host requests to the Space's stand-in app; everything else goes on."""

    def __init__(self, app: ASGIApp, serve: Serve) -> None:
        self.app = app
        self.serve = serve

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = app_host_of(scope) if scope["type"] == "http" else None
        if host is None:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        answer = self.serve(host, method, scope["path"])
        if answer.latency and not scope.get(REPLAY_KEY):  # a replayed visit was slowed once
            await asyncio.sleep(answer.latency)
        response = Response(
            b"" if method == "HEAD" else answer.body.encode("utf-8"),
            status_code=answer.status,
            headers=dict(answer.headers),
            media_type=answer.content_type,
        )
        await response(scope, receive, send)
