"""Intercepting every HTTP library of the process, so no Hub request escapes the fake.

While an :class:`Interception` is installed, each library below is patched at its lowest
replaceable layer — where it would open a connection — the way vcrpy and pytest-recording do:

=============  ==============================================================
httpx, httpx2  ``HTTPTransport.handle_request``, ``AsyncHTTPTransport.handle_async_request``
requests       ``HTTPAdapter.send``
urllib3        ``HTTPConnectionPool.urlopen``
urllib         ``AbstractHTTPHandler.do_open`` (``urllib.request.urlopen``)
aiohttp        ``ClientSession._request`` (sent to the fake's socket)
http.client    ``HTTPConnection.connect``: a Hub host is refused (no answer at that layer)
sockets        ``socket.socket.connect`` / ``connect_ex`` (only with ``block_network``)
=============  ==============================================================

A request to a Hub host is answered by the :class:`~fakehub.routing.delivery.Delivery` and
recorded in the router with the library that sent it. Any other host passes through untouched,
unless ``block_network`` is on: then every host that is not loopback or in ``allow_hosts`` fails
at once with :class:`~fakehub.routing.hosts.NetworkBlocked`, naming the host. Libraries that are
not installed are skipped; :meth:`Interception.uninstall` puts every patched attribute back.
"""

from __future__ import annotations

import importlib.util
from urllib.parse import urlsplit

from fakehub.routing.delivery import AsyncReply, Delivery, HubRequest, Reply
from fakehub.routing.hosts import NetworkBlocked, Router, is_loopback
from fakehub.routing.libraries.base import Undo


class Interception:
    """Sends every Hub request of the process to ``delivery``; optionally blocks the rest."""

    def __init__(self, router: Router, delivery: Delivery, *, block_network: bool = False) -> None:
        self.router = router
        self.delivery = delivery
        self.block_network = block_network
        self._undo: list[Undo] = []

    # -- decisions ---------------------------------------------------------------------------

    def claims(self, method: str, url: str) -> bool:
        """True: the fake answers. False: send it on. Raises :class:`NetworkBlocked`."""
        if self.router.claims(url):
            return True
        if self.block_network:
            self.check_host(method, url, (urlsplit(url).hostname or "").lower())
        return False

    def check_host(self, method: str, url: str, host: str) -> None:
        if is_loopback(host) or host in self.router.allow_hosts or host == self.router.target_host:
            return
        self.router.note_blocked(method, url)
        raise NetworkBlocked(
            f"{self.router.owner} blocked {method} {url}: block_network is on and {host!r} is "
            "not the Hub, loopback, nor in allow_hosts"
        )

    # -- answering ---------------------------------------------------------------------------

    def send(self, library: str, request: HubRequest) -> Reply:
        reply = self.delivery.send(request)
        self.router.record(request.method, request.url, reply.status, library)
        return reply

    async def asend(self, library: str, request: HubRequest) -> AsyncReply:
        reply = await self.delivery.asend(request)
        self.router.record(request.method, request.url, reply.status, library)
        return reply

    # -- installing --------------------------------------------------------------------------

    def install(self) -> Interception:
        if self._undo:
            raise RuntimeError("this Interception is already installed")
        from fakehub.routing.libraries import (
            http_client,
            httpx_family,
            requests_family,
            sockets,
            stdlib,
        )

        for name in ("httpx", "httpx2"):
            if _installed(name):
                self._undo.extend(httpx_family.install(self, importlib.import_module(name)))
        if _installed("urllib3"):
            self._undo.extend(requests_family.install_urllib3(self))
        if _installed("requests"):
            self._undo.extend(requests_family.install_requests(self))
        self._undo.extend(stdlib.install(self))
        self._undo.extend(http_client.install(self))
        if _installed("aiohttp"):
            from fakehub.routing.libraries import aiohttp_session

            self._undo.extend(aiohttp_session.install(self))
        if self.block_network:
            self._undo.extend(sockets.install(self))
        return self

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def __enter__(self) -> Interception:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()


_FOUND: dict[str, bool] = {}


def _installed(name: str) -> bool:
    if name not in _FOUND:
        _FOUND[name] = importlib.util.find_spec(name) is not None
    return _FOUND[name]
