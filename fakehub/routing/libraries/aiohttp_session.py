"""aiohttp: ``ClientSession._request``, the one call every aiohttp request goes through.

aiohttp builds its response objects from its own connection protocol, so a Hub request is sent
on, unchanged but for its URL, to the fake's loopback socket (with ``X-Forwarded-Host`` naming
the original host), and the real ``ClientResponse`` comes back with the URL the caller asked for.
Redirects are followed here, not inside aiohttp, so a redirect to a Hub URL comes back through
this patch instead of leaving for the real host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakehub.routing.libraries.base import Interceptor, Swap

_REDIRECTS = (301, 302, 303, 307, 308)


def _redirected_method(status: int, method: str, kwargs: dict[str, Any]) -> str:
    """A 303, or a 301/302 after a POST, becomes a GET without a body (as browsers do)."""
    if status == 303 or (status in (301, 302) and method == "POST"):
        kwargs.pop("data", None)
        kwargs.pop("json", None)
        return "GET"
    return method


def swaps(interception: Interceptor) -> list[Swap]:
    import aiohttp
    from yarl import URL

    from fakehub.routing.libraries.base import Swap

    swap = Swap(aiohttp.ClientSession, "_request")

    async def _request(self: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
        url = str(str_or_url)
        if not interception.claims(method, url):
            return await swap.original(self, method, str_or_url, **kwargs)
        follow = kwargs.pop("allow_redirects", True)
        forward = interception.router.forward(url)
        headers = dict(kwargs.pop("headers", None) or {})
        headers.update(forward.headers)
        response = await swap.original(
            self,
            method,
            URL(forward.url, encoded=True),
            headers=headers,
            allow_redirects=False,
            **kwargs,
        )
        interception.router.record(method, url, response.status, "aiohttp")
        response._url = URL(url)
        location = response.headers.get("Location")
        if not (follow and response.status in _REDIRECTS and location):
            return response
        response.release()
        method = _redirected_method(response.status, method, kwargs)
        headers = {k: v for k, v in headers.items() if not k.lower().startswith("x-forwarded-")}
        return await self._request(method, URL(url).join(URL(location)), headers=headers, **kwargs)

    swap.wrapper = _request
    return [swap]
