"""``http.client`` used directly: a connection to a Hub host is refused, never opened.

Every library above ``http.client`` is answered before it connects (urllib at ``do_open``,
urllib3 at its pool, which also overrides ``connect``), so only code that opens an
``HTTPConnection`` itself gets here. fakehub cannot hand it an answer at that layer, but it
must not reach the real Hub either: the connection fails at once, saying why.
"""

from __future__ import annotations

import http.client
from typing import TYPE_CHECKING, Any

from fakehub.routing.hosts import NetworkBlocked

if TYPE_CHECKING:
    from fakehub.routing.libraries.base import Interceptor, Swap


def swaps(interception: Interceptor) -> list[Swap]:
    from fakehub.routing.libraries.base import Swap

    swap = Swap(http.client.HTTPConnection, "connect")

    def connect(self: Any) -> None:
        scheme = "https" if isinstance(self, http.client.HTTPSConnection) else "http"
        url = f"{scheme}://{self.host}:{self.port}/"
        if interception.claims("CONNECT", url):
            interception.router.note_blocked("CONNECT", url)
            raise NetworkBlocked(
                f"{interception.router.owner} refused an http.client connection to "
                f"{self.host}: Hub requests are answered by the fake from httpx, httpx2, "
                "requests, urllib3, urllib and aiohttp, not from a bare http.client connection"
            )
        swap.original(self)

    swap.wrapper = connect
    return [swap]
