"""0.x clients (requests): an ``HTTPAdapter`` that keeps the client on the Hub.

Hub requests go on to ``HTTPAdapter.send``, where the fixture answers them (see
:mod:`fakehub.routing.libraries`); other hosts are refused here.

Installed with ``huggingface_hub.configure_http_backend``; mounted on ``http://`` and
``https://`` of every session the client's factory builds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from fakehub.routing.hosts import Router, sent_by


class HubAdapter(HTTPAdapter):
    def __init__(self, router: Router) -> None:
        super().__init__()
        self.router = router

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        method = request.method or "GET"
        url = request.url or ""
        self.router.check_client(method, url)
        with sent_by("huggingface_hub"):
            response = super().send(request, *args, **kwargs)
        self.router.client_answered(method, url, response.status_code)
        return response


def session_factory(adapter: HubAdapter) -> Callable[[], requests.Session]:
    """A ``configure_http_backend`` factory: sessions that only ever use ``adapter``."""

    def factory() -> requests.Session:
        session = requests.Session()
        # Proxies from the environment would otherwise be chosen for the original host.
        session.trust_env = False
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    return factory
