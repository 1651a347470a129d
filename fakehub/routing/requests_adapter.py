"""0.x clients (requests): an ``HTTPAdapter`` that sends Hub requests to the fake.

Installed with ``huggingface_hub.configure_http_backend``; mounted on ``http://`` and
``https://`` of every session the client's factory builds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from fakehub.routing.hosts import Router


class HubAdapter(HTTPAdapter):
    def __init__(self, router: Router) -> None:
        super().__init__()
        self.router = router

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        method = request.method or "GET"
        url = request.url or ""
        forward = self.router.forward(method, url)
        if forward is None:
            return super().send(request, *args, **kwargs)
        routed = request.copy()
        routed.url = forward.url
        for name, value in forward.headers:
            routed.headers[name] = value
        # The fake is reached directly, never through a proxy from the environment.
        if len(args) >= 5:
            args = (*args[:4], {})
        else:
            kwargs["proxies"] = {}
        response = super().send(routed, *args, **kwargs)
        # The client sees the URL it asked for (error messages, redirects, job-id parsing).
        response.url = url
        response.request = request
        self.router.record(method, url, response.status_code)
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
