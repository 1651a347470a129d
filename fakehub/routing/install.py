"""Installing a :class:`Router` into the ``huggingface_hub`` of this process, and taking it out.

Each client version is routed through its own public hook (spaces.md §1.4). The factory that was
in place before is put back on :meth:`Routing.uninstall`, so a user's own factory survives.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Literal

from fakehub.routing.hosts import Router

Flavor = Literal["requests", "httpx", "httpx2"]


def client_flavor(version: str) -> Flavor:
    """The HTTP library a ``huggingface_hub`` version uses: 0.x requests, 1.x httpx, 2.x httpx2."""
    major = int(version.split(".")[0])
    if major == 0:
        return "requests"
    return "httpx" if major == 1 else "httpx2"


class Routing:
    """While installed, this process's ``huggingface_hub`` reaches only ``router``'s fake."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.flavor: Flavor | None = None
        self._undo: list[Callable[[], None]] = []

    def install(self) -> Routing:
        if self._undo:
            raise RuntimeError("this Routing is already installed")
        import huggingface_hub

        self.flavor = client_flavor(huggingface_hub.__version__)
        if self.flavor == "requests":
            self._install_requests(huggingface_hub)
        else:
            self._install_httpx(huggingface_hub, importlib.import_module(self.flavor))
        return self

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def __enter__(self) -> Routing:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()

    def _install_requests(self, hf: Any) -> None:
        from fakehub.routing.requests_adapter import HubAdapter, session_factory

        http = importlib.import_module("huggingface_hub.utils._http")
        previous = getattr(http, "_GLOBAL_BACKEND_FACTORY", None)
        adapter = HubAdapter(self.router)
        # configure_http_backend drops the cached per-thread sessions, so the next request of
        # every thread builds a routed one (and, on undo, a normal one again).
        hf.configure_http_backend(backend_factory=session_factory(adapter))
        self._undo.append(adapter.close)
        if previous is None:
            self._undo.append(hf.configure_http_backend)
        else:
            self._undo.append(lambda: hf.configure_http_backend(backend_factory=previous))

    def _install_httpx(self, hf: Any, module: Any) -> None:
        from fakehub.routing.httpx_transport import client_factories

        http = importlib.import_module("huggingface_hub.utils._http")
        previous = getattr(http, "_GLOBAL_CLIENT_FACTORY", http.default_client_factory)
        previous_async = getattr(
            http, "_GLOBAL_ASYNC_CLIENT_FACTORY", http.default_async_client_factory
        )
        # Keep the client's own request hook: it adds X-Amzn-Trace-Id and honours HF_HUB_OFFLINE.
        hook = getattr(http, "hf_request_event_hook", None)
        async_hook = getattr(http, "async_hf_request_event_hook", None)
        factories = client_factories(
            module,
            self.router,
            [hook] if hook else [],
            [async_hook] if async_hook else [],
        )
        hf.set_client_factory(factories.client)
        hf.set_async_client_factory(factories.async_client)
        # set_client_factory closes the routed client before putting the old factory back.
        self._undo.append(lambda: hf.set_async_client_factory(previous_async))
        self._undo.append(lambda: hf.set_client_factory(previous))
