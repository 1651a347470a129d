"""Routing ``huggingface_hub``'s own HTTP traffic to a fake, in-process.

``HF_ENDPOINT`` is read once when ``huggingface_hub`` is imported, so a test that starts a fake
after that import cannot redirect the client with the environment. Instead, :class:`Routing`
installs a transport through each client version's own hook for its HTTP session (spaces.md
§1.4): ``configure_http_backend`` (0.x, requests), ``set_client_factory`` (1.x, httpx; 2.x,
httpx2). The transport sends every Hub host to the fake and refuses every other host.

Nothing here imports ``requests``, ``httpx`` or ``httpx2`` until a client is routed: users have
only the one their ``huggingface_hub`` needs.
"""

from __future__ import annotations

from fakehub.routing.hosts import Exchange, HubRequestBlocked, Router, is_hub_host
from fakehub.routing.httpx_transport import close_shared_pools
from fakehub.routing.install import Routing, client_flavor

__all__ = [
    "Exchange",
    "HubRequestBlocked",
    "Router",
    "Routing",
    "client_flavor",
    "close_shared_pools",
    "is_hub_host",
]
