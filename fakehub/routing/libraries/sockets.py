"""``block_network``: the last line, raw ``socket.connect`` to anything but loopback fails.

Libraries are checked earlier, by host name; this catches everything else written in Python
(asyncio transports, ``http.client``, a test's own socket). Only IP sockets are checked; the
address is what the socket sees (an IP, unless the caller passed a name).
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

from fakehub.routing.hosts import is_loopback

if TYPE_CHECKING:
    from fakehub.routing.libraries.base import Interceptor, Swap

_IP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


def swaps(interception: Interceptor) -> list[Swap]:
    from fakehub.routing.libraries.base import Swap

    connect = Swap(socket.socket, "connect")
    connect_ex = Swap(socket.socket, "connect_ex")

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in _IP_FAMILIES and isinstance(address, tuple):
            host, port = str(address[0]), address[1]
            if is_loopback(host) or _allowed_by_name(interception, host):
                return
            interception.check_host("CONNECT", f"{host}:{port}", host.lower())

    def guarded_connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        connect.original(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        result: int = connect_ex.original(self, address)
        return result

    connect.wrapper = guarded_connect
    connect_ex.wrapper = guarded_connect_ex
    return [connect, connect_ex]


def _allowed_by_name(interception: Interceptor, ip: str) -> bool:
    """An IP that one of ``allow_hosts`` (names) resolves to."""
    for name in interception.router.allow_hosts:
        try:
            infos = socket.getaddrinfo(name, None)
        except OSError:
            continue
        if any(info[4][0] == ip for info in infos):
            return True
    return False
