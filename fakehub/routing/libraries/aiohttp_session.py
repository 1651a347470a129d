"""aiohttp: ``ClientSession._request``, the one call every aiohttp request goes through.

aiohttp builds its response objects from its own connection protocol, so a Hub request is sent
on, unchanged but for its URL, to the fake's loopback socket (with ``X-Forwarded-Host`` naming
the original host), and the real ``ClientResponse`` comes back with the URL the caller asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakehub.routing.intercept import Interception, Undo


def install(interception: Interception) -> list[Undo]:
    import aiohttp
    from yarl import URL

    from fakehub.routing.intercept import patch

    original = aiohttp.ClientSession._request

    async def _request(self: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
        url = str(str_or_url)
        if not interception.claims(method, url):
            return await original(self, method, str_or_url, **kwargs)
        forward = interception.router.forward(url)
        headers = dict(kwargs.pop("headers", None) or {})
        headers.update(forward.headers)
        response = await original(
            self, method, URL(forward.url, encoded=True), headers=headers, **kwargs
        )
        interception.router.record(method, url, response.status, "aiohttp")
        response._url = URL(url)
        return response

    return [patch(aiohttp.ClientSession, "_request", _request)]
