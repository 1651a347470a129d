"""Installing a :class:`Router` into the ``huggingface_hub`` of this process, and taking it out.

Each client version is routed through its own public hook (spaces.md §1.4). The factory that was
in place before is put back on :meth:`Routing.uninstall`, so a user's own factory survives.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from fakehub.routing.hosts import Router

if TYPE_CHECKING:
    from fakehub.routing.httpx_transport import Factories

Flavor = Literal["requests", "httpx", "httpx2"]


def client_flavor(version: str) -> Flavor:
    """The HTTP library a ``huggingface_hub`` version uses: 0.x requests, 1.x httpx, 2.x httpx2."""
    major = int(version.split(".")[0])
    if major == 0:
        return "requests"
    return "httpx" if major == 1 else "httpx2"


class Routing:
    """While installed, this process's ``huggingface_hub`` reaches only ``router``'s fake.

    What it installs is built once per ``Routing`` (the client's hooks are looked up once:
    ``huggingface_hub`` resolves its top-level names lazily, at some cost on every access);
    :meth:`reuse` points it at another router between installs, as the pytest plugin does.
    """

    def __init__(self, router: Router) -> None:
        self.router = router
        self.flavor: Flavor | None = None
        self._undo: list[Callable[[], None]] = []
        self._hooks: _Hooks | None = None

    def reuse(self, router: Router) -> Routing:
        """Route for another router from now on (while not installed)."""
        if self._undo:
            raise RuntimeError("this Routing is installed: uninstall it first")
        self.router = router
        if self._hooks is not None and self._hooks.factories is not None:
            self._hooks.factories.retarget(router)
        return self

    def install(self) -> Routing:
        if self._undo:
            raise RuntimeError("this Routing is already installed")
        if self._hooks is None:
            self._hooks = _Hooks.find(self.router)
        self.flavor = self._hooks.flavor
        if self.flavor == "requests":
            self._install_requests(self._hooks)
        else:
            self._install_httpx(self._hooks)
        return self

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def __enter__(self) -> Routing:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()

    def _install_requests(self, hooks: _Hooks) -> None:
        from fakehub.routing.requests_adapter import HubAdapter, session_factory

        previous = getattr(hooks.http, "_GLOBAL_BACKEND_FACTORY", None)
        adapter = HubAdapter(self.router)
        configure = hooks.configure_http_backend
        # configure_http_backend drops the cached per-thread sessions, so the next request of
        # every thread builds a routed one (and, on undo, a normal one again).
        configure(backend_factory=session_factory(adapter))
        self._undo.append(adapter.close)
        if previous is None:
            self._undo.append(configure)
        else:
            self._undo.append(lambda: configure(backend_factory=previous))

    def _install_httpx(self, hooks: _Hooks) -> None:
        http = hooks.http
        previous = getattr(http, "_GLOBAL_CLIENT_FACTORY", http.default_client_factory)
        previous_async = getattr(
            http, "_GLOBAL_ASYNC_CLIENT_FACTORY", http.default_async_client_factory
        )
        factories = hooks.factories
        assert factories is not None
        set_client, set_async_client = hooks.set_client_factory, hooks.set_async_client_factory
        set_client(factories.client)
        set_async_client(factories.async_client)
        # set_client_factory closes the routed client before putting the old factory back.
        self._undo.append(lambda: set_async_client(previous_async))
        self._undo.append(lambda: set_client(previous))


class _Hooks:
    """``huggingface_hub``'s hooks for its HTTP session, looked up once."""

    def __init__(self, hf: Any, flavor: Flavor, router: Router) -> None:
        self.flavor = flavor
        #: ``huggingface_hub.utils._http``, where the current factories live
        self.http = importlib.import_module("huggingface_hub.utils._http")
        self.factories: Factories | None = None
        if flavor == "requests":
            self.configure_http_backend = hf.configure_http_backend
            return
        from fakehub.routing.httpx_transport import client_factories

        self.set_client_factory = hf.set_client_factory
        self.set_async_client_factory = hf.set_async_client_factory
        # Keep the client's own request hook: it adds X-Amzn-Trace-Id and honours HF_HUB_OFFLINE.
        hook = getattr(self.http, "hf_request_event_hook", None)
        async_hook = getattr(self.http, "async_hf_request_event_hook", None)
        self.factories = client_factories(
            importlib.import_module(flavor),
            router,
            [hook] if hook else [],
            [async_hook] if async_hook else [],
        )

    @classmethod
    def find(cls, router: Router) -> _Hooks:
        import huggingface_hub

        return cls(huggingface_hub, client_flavor(huggingface_hub.__version__), router)
