"""What a library's interceptor needs from the interception, and how it patches.

The libraries see the interception only through :class:`Interceptor`, so they do not import
:mod:`fakehub.routing.intercept` (which imports them to install them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from fakehub.routing.delivery import AsyncReply, HubRequest, Reply
from fakehub.routing.hosts import Router


class Interceptor(Protocol):
    router: Router

    def claims(self, method: str, url: str) -> bool:
        """True: the fake answers. False: send it on. Raises ``NetworkBlocked``."""

    def check_host(self, method: str, url: str, host: str) -> None:
        """Raises ``NetworkBlocked`` unless ``host`` may be reached under ``block_network``."""

    def send(self, library: str, request: HubRequest) -> Reply: ...

    async def asend(self, library: str, request: HubRequest) -> AsyncReply: ...


class Swap:
    """One attribute an interception replaces: its ``wrapper`` goes in, what was there comes back.

    The wrapper is built once (per interception) and may be put in and taken out many times:
    the pytest plugin does so for every test, so that costs a few ``setattr``. Each time it
    goes in, ``original`` becomes what the attribute was at that moment (another tool's patch
    included), and the wrapper passes what it does not answer to that.
    """

    __slots__ = ("_previous", "name", "original", "owner", "wrapper")

    def __init__(self, owner: Any, name: str) -> None:
        self.owner = owner
        self.name = name
        self.wrapper: Callable[..., Any] | None = None
        self.original: Any = getattr(owner, name)
        self._previous: Any = _INHERITED

    def put_in(self) -> None:
        owner, name = self.owner, self.name
        self._previous = owner.__dict__.get(name, _INHERITED)
        self.original = getattr(owner, name)
        setattr(owner, name, self.wrapper)

    def take_out(self) -> None:
        """Put back exactly what was there: the owner's own attribute, or none (inherited)."""
        if self._previous is _INHERITED:
            delattr(self.owner, self.name)
        else:
            setattr(self.owner, self.name, self._previous)
            self._previous = _INHERITED


_INHERITED: Any = object()  # the owner had no attribute of its own by that name
