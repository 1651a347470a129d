"""Sending every Hub request of this process to a fake, in-process.

``HF_ENDPOINT`` is read once when ``huggingface_hub`` is imported, so a test that starts a fake
after that import cannot redirect the client with the environment. Instead:

* :class:`Interception` patches every HTTP library of the process at its lowest layer (httpx,
  httpx2, requests, urllib3, urllib, aiohttp) so that a request to a Hub host
  (``huggingface.co``, ``hf.co``, subdomains, ``*.hf.space``) is answered by the fake — by
  calling its ASGI app directly (:class:`AsgiDelivery`) or through its socket
  (:class:`SocketDelivery`) — and, with ``block_network``, refuses every other non-loopback host;
* :class:`Routing` installs a guard through each client version's own hook for its HTTP session
  (spaces.md §1.4): ``huggingface_hub`` itself may reach nothing but the Hub.

Nothing here imports ``requests``, ``httpx``, ``httpx2`` or ``aiohttp`` unless it is installed.
"""

from __future__ import annotations

from fakehub.routing.delivery import HubRequest, SocketDelivery
from fakehub.routing.hosts import (
    Exchange,
    HubRequestBlocked,
    NetworkBlocked,
    Router,
    is_app_host,
    is_hub_host,
    is_loopback,
)
from fakehub.routing.httpx_transport import close_shared_pools
from fakehub.routing.inprocess import AsgiDelivery
from fakehub.routing.install import Routing, client_flavor
from fakehub.routing.intercept import Interception

__all__ = [
    "AsgiDelivery",
    "Exchange",
    "HubRequest",
    "HubRequestBlocked",
    "Interception",
    "NetworkBlocked",
    "Router",
    "Routing",
    "SocketDelivery",
    "client_flavor",
    "close_shared_pools",
    "is_app_host",
    "is_hub_host",
    "is_loopback",
]
