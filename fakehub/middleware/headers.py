"""The virtual ``Date`` header, ``X-Request-Id`` and the Hub's JSON charset on every answer."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakehub.timefmt import http_date

#: The Hub labels its JSON answers with their charset (every recorded answer says so); doing it
#: here covers every route, error and control answer at once, whoever built the response.
_JSON = b"application/json"
_HUB_JSON = b"application/json; charset=utf-8"


def _hub_content_type(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() == b"content-type" and value.strip().lower() == _JSON:
        return name, _HUB_JSON
    return name, value


#: where the request id is left in the scope, for the crash guard's report
REQUEST_ID_KEY = "fakehub.request_id"


class HubHeadersMiddleware:
    """Stamps every response with the virtual ``Date``, an ``X-Request-Id`` and the JSON charset.

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
        scope[REQUEST_ID_KEY] = request_id

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    _hub_content_type(k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"date", b"x-request-id")
                ]
                headers.append((b"date", http_date(self.now()).encode()))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
