"""``urllib.request``: its HTTP(S) handlers' ``do_open``, where it would open a connection.

The answer is an ``addinfourl`` (what urllib itself returns for ``data:`` and ``file:`` URLs)
with the status, reason and headers of the fake's reply; urllib's own processors then raise
``HTTPError`` for error statuses and follow redirects exactly as for a real response.
"""

from __future__ import annotations

import http.client
import io
import urllib.request
import urllib.response
from typing import TYPE_CHECKING, Any

from fakehub.routing.delivery import HubRequest
from fakehub.routing.libraries.requests_family import ReplyReader, body_bytes

if TYPE_CHECKING:
    from fakehub.routing.libraries.base import Interceptor, Swap


def swaps(interception: Interceptor) -> list[Swap]:
    from fakehub.routing.libraries.base import Swap

    swap = Swap(urllib.request.AbstractHTTPHandler, "do_open")

    def do_open(self: Any, http_class: Any, request: Any, **kwargs: Any) -> Any:
        url = request.full_url
        method = request.get_method()
        if not interception.claims(method, url):
            return swap.original(self, http_class, request, **kwargs)
        headers = {**request.unredirected_hdrs, **request.headers}
        hub_request = HubRequest(method, url, list(headers.items()), body_bytes(request.data))
        reply = interception.send("urllib", hub_request)
        message = http.client.HTTPMessage()
        for name, value in reply.headers:
            message[name] = value
        fp = io.BufferedReader(ReplyReader(reply))
        response = urllib.response.addinfourl(fp, message, url, reply.status)
        response.msg = reply.reason  # type: ignore[attr-defined]
        response.reason = reply.reason  # type: ignore[attr-defined]
        return response

    swap.wrapper = do_open
    return [swap]
