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

The replacements are built once per :class:`Interception`; installing it again (after
:meth:`Interception.reuse` points it at another router, as the pytest plugin does for every
test) only swaps the attributes in and out.
"""

from __future__ import annotations

import importlib.util
from urllib.parse import urlsplit

from fakehub.routing.delivery import AsyncReply, Delivery, HubRequest, Reply
from fakehub.routing.hosts import NetworkBlocked, Router, is_loopback
from fakehub.routing.libraries.base import Swap


class Interception:
    """Sends every Hub request of the process to ``delivery``; optionally blocks the rest."""

    def __init__(self, router: Router, delivery: Delivery, *, block_network: bool = False) -> None:
        self.router = router
        self.delivery = delivery
        self.block_network = block_network
        self._libraries: list[Swap] | None = None  # built on first install
        self._sockets: list[Swap] | None = None  # only under block_network
        self._installed: list[Swap] = []

    def reuse(
        self, router: Router, delivery: Delivery, *, block_network: bool = False
    ) -> Interception:
        """Answer for another router from now on (while not installed): the patches stay built."""
        if self._installed:
            raise RuntimeError("this Interception is installed: uninstall it first")
        self.router = router
        self.delivery = delivery
        self.block_network = block_network
        return self

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
        if self._installed:
            raise RuntimeError("this Interception is already installed")
        if self._libraries is None:
            self._libraries = _library_swaps(self)
        swaps = self._libraries
        if self.block_network:
            if self._sockets is None:
                from fakehub.routing.libraries import sockets

                self._sockets = sockets.swaps(self)
            swaps = swaps + self._sockets
        installed = self._installed
        for swap in swaps:
            swap.put_in()
            installed.append(swap)
        return self

    def uninstall(self) -> None:
        while self._installed:
            self._installed.pop().take_out()

    def __enter__(self) -> Interception:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()


def _library_swaps(interception: Interception) -> list[Swap]:
    """What to replace in every HTTP library installed here, in the order it goes in."""
    from fakehub.routing.libraries import http_client, httpx_family, requests_family, stdlib

    swaps: list[Swap] = []
    for name in ("httpx", "httpx2"):
        if _installed(name):
            swaps.extend(httpx_family.swaps(interception, importlib.import_module(name)))
    if _installed("urllib3"):
        swaps.extend(requests_family.swaps_urllib3(interception))
    if _installed("requests"):
        swaps.extend(requests_family.swaps_requests(interception))
    swaps.extend(stdlib.swaps(interception))
    swaps.extend(http_client.swaps(interception))
    if _installed("aiohttp"):
        from fakehub.routing.libraries import aiohttp_session

        swaps.extend(aiohttp_session.swaps(interception))
    return swaps


_FOUND: dict[str, bool] = {}


def _installed(name: str) -> bool:
    if name not in _FOUND:
        _FOUND[name] = importlib.util.find_spec(name) is not None
    return _FOUND[name]
