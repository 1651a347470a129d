"""The virtual ``Date`` header and ``X-Request-Id`` on every answer."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.timefmt import http_date


class HubHeadersMiddleware:
    """Stamps every response with the virtual ``Date`` and an ``X-Request-Id``.

    2.4.0's log reader compares event timestamps with ``Date``, so ``Date`` must come from the
    virtual clock (uvicorn's own is switched off in :mod:`fakehub.server`).
    """

    def __init__(self, app: ASGIApp, now: Callable[[], int]) -> None:
        self.app = app
        self.now = now
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
                headers.append((b"date", http_date(self.now()).encode()))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
