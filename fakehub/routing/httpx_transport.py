"""1.x (httpx) and 2.x (httpx2) clients: a transport that keeps the client on the Hub.

It refuses every host that is not the Hub (or allowed), and marks what it sends as
``huggingface_hub``'s; the Hub requests themselves are answered by the fake one layer below, where
every httpx/httpx2 transport of the process is intercepted (:mod:`fakehub.routing.libraries`).

httpx2 keeps httpx's API under another name, so one implementation serves both, built on the
module the client uses. It must be that module's own classes: 2.4.0 rejects an httpx transport
inside an ``httpx2.Client`` and only recognises ``httpx2.HTTPStatusError`` (spaces.md §1.4).
Installed with ``set_client_factory`` and ``set_async_client_factory``, so async traffic cannot
slip past the guard either.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

from fakehub.routing.hosts import Router, sent_by

_POOLS: dict[str, Any] = {}


def _shared_pool(http: ModuleType) -> Any:
    """One connection pool per process (and HTTP library) for every routed client.

    Building a transport builds an SSL context (tens of milliseconds): doing it once keeps the
    fixture's per-test cost far below a millisecond, and keeps connections to the fake alive
    from one test to the next. :func:`close_shared_pools` ends them (at the end of a session).
    """
    pool = _POOLS.get(http.__name__)
    if pool is None:
        pool = _POOLS[http.__name__] = http.HTTPTransport(trust_env=False)
    return pool


def close_shared_pools() -> None:
    """Close the pooled connections to the fake (the next routed client opens new ones)."""
    from fakehub.routing.delivery import close_socket_clients

    close_socket_clients()
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.close()


@functools.cache
def _transport_classes(http: ModuleType) -> tuple[type, type]:
    class HubTransport(http.BaseTransport):  # type: ignore[name-defined,misc]
        def __init__(self, router: Router, inner: Any) -> None:
            self.router = router
            self.inner = inner

        def handle_request(self, request: Any) -> Any:
            url = str(request.url)
            self.router.check_client(request.method, url)
            with sent_by("huggingface_hub"):
                response = self.inner.handle_request(request)
            self.router.client_answered(request.method, url, response.status_code)
            return response

        def close(self) -> None:
            # The pool is shared by every routed client of the process (see _shared_pool);
            # huggingface_hub closes its client whenever it replaces it, the pool stays.
            pass

    class AsyncHubTransport(http.AsyncBaseTransport):  # type: ignore[name-defined,misc]
        def __init__(self, router: Router, inner: Any) -> None:
            self.router = router
            self.inner = inner

        async def handle_async_request(self, request: Any) -> Any:
            url = str(request.url)
            self.router.check_client(request.method, url)
            with sent_by("huggingface_hub"):
                response = await self.inner.handle_async_request(request)
            self.router.client_answered(request.method, url, response.status_code)
            return response

    return HubTransport, AsyncHubTransport


class Factories:
    """A client factory and an async client factory, routed through ``router``.

    The sync factory's transport is shared by the clients it builds (see :func:`_shared_pool`);
    :meth:`retarget` moves the factories to another router (the pytest plugin: every test).
    """

    def __init__(
        self, http: ModuleType, router: Router, hooks: list[Any], async_hooks: list[Any]
    ) -> None:
        self._http = http
        self.router = router
        self._hooks = hooks
        self._async_hooks = async_hooks
        transport_cls, self._async_transport_cls = _transport_classes(http)
        self._transport = transport_cls(router, _shared_pool(http))

    def retarget(self, router: Router) -> None:
        self.router = router
        self._transport.router = router

    def client(self) -> Any:
        return self._http.Client(
            transport=self._transport,
            event_hooks={"request": list(self._hooks)},
            follow_redirects=True,
            timeout=None,
            trust_env=False,
        )

    def async_client(self) -> Any:
        http = self._http
        return http.AsyncClient(
            transport=self._async_transport_cls(
                self.router, http.AsyncHTTPTransport(trust_env=False)
            ),
            event_hooks={"request": list(self._async_hooks)},
            follow_redirects=True,
            timeout=None,
            trust_env=False,
        )


def client_factories(
    http: ModuleType, router: Router, hooks: list[Any], async_hooks: list[Any]
) -> Factories:
    """Factories with the client's default options (hooks, redirects, no timeout).

    ``trust_env`` is off: proxy mounts from the environment would otherwise be chosen for the
    original host and take the request away from the transport.
    """
    return Factories(http, router, hooks, async_hooks)
