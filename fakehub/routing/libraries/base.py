"""What a library's interceptor needs from the interception, and how it patches.

The libraries see the interception only through :class:`Interceptor`, so they do not import
:mod:`fakehub.routing.intercept` (which imports them to install them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from fakehub.routing.delivery import AsyncReply, HubRequest, Reply
from fakehub.routing.hosts import Router

Undo = Callable[[], None]


class Interceptor(Protocol):
    router: Router

    def claims(self, method: str, url: str) -> bool:
        """True: the fake answers. False: send it on. Raises ``NetworkBlocked``."""

    def check_host(self, method: str, url: str, host: str) -> None:
        """Raises ``NetworkBlocked`` unless ``host`` may be reached under ``block_network``."""

    def send(self, library: str, request: HubRequest) -> Reply: ...

    async def asend(self, library: str, request: HubRequest) -> AsyncReply: ...


def patch(owner: Any, name: str, value: Any) -> Undo:
    """Set ``owner.name`` and return what puts it back exactly (own attribute or inherited)."""
    had_own = name in vars(owner)
    previous = vars(owner).get(name)
    setattr(owner, name, value)

    def undo() -> None:
        if had_own:
            setattr(owner, name, previous)
        else:
            delattr(owner, name)

    return undo
