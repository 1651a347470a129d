"""Which hosts are the Hub, and where their requests go instead.

The :class:`Router` is transport-neutral: each transport (requests, httpx, httpx2) asks it where a
URL goes, sends the request there itself, and tells it what came back, so the plugin can report
routes the fake does not implement and errors inside the fake.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

#: Hub hosts: the API, the short domain, staging, and their subdomains (CDN, storage).
_HUB_DOMAINS = ("huggingface.co", "hf.co")
#: Spaces' own app domains (``<owner>-<name>.hf.space``).
_SPACE_DOMAIN = "hf.space"


def is_hub_host(host: str) -> bool:
    """``huggingface.co``, ``hf.co``, ``hub-ci.huggingface.co``, any subdomain, ``*.hf.space``."""
    host = host.lower().rstrip(".")
    for domain in (*_HUB_DOMAINS, _SPACE_DOMAIN):
        if host == domain or host.endswith("." + domain):
            return True
    return False


class HubRequestBlocked(ConnectionError):
    """A request from ``huggingface_hub`` to a host that is not the Hub, while routed to a fake.

    A ``ConnectionError`` (the built-in one) so that code handling network failures sees one, but
    not ``requests``'/``httpx``' own connection errors, which the client retries with backoff:
    the request fails at once.
    """


@dataclass(frozen=True)
class Exchange:
    """One request the routed client made, as the client wrote it, and the status it got."""

    method: str
    url: str
    status: int

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@dataclass(frozen=True)
class Forward:
    """Where to send a request instead, and the headers that tell the fake the original host."""

    url: str
    host: str
    headers: tuple[tuple[str, str], ...]


class Router:
    """Sends Hub hosts to ``target`` (the fake's base URL) and refuses every other host.

    ``owner`` names who blocked a request in the error message (e.g. "the fake_hub fixture").
    ``allow_hosts`` are extra hosts let through untouched (to the real network).
    """

    def __init__(
        self, target: str, *, owner: str = "fakehub routing", allow_hosts: Iterable[str] = ()
    ) -> None:
        parts = urlsplit(target.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL for the fake: {target!r}")
        self.target = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        self._scheme = parts.scheme
        self._netloc = parts.netloc.lower()
        self._prefix = parts.path
        self.owner = owner
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts)
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.blocked: list[str] = []

    def forward(self, method: str, url: str) -> Forward | None:
        """Where ``url`` goes: a :class:`Forward` to the fake, ``None`` (an allowed host: send it
        unchanged, not the fake's business), or :class:`HubRequestBlocked`."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.netloc.lower() == self._netloc:
            return Forward(url, self._netloc, ())
        if host in self.allow_hosts:
            return None
        if not is_hub_host(host):
            with self._lock:
                self.blocked.append(f"{method} {url}")
            raise HubRequestBlocked(
                f"{self.owner} blocked {method} {url}: while it is active, huggingface_hub may "
                f"only reach the Hub (routed to the fake at {self.target}), not {host or url!r}"
            )
        path = self._prefix + parts.path
        new_url = urlunsplit((self._scheme, self._netloc, path, parts.query, ""))
        headers = (("X-Forwarded-Proto", parts.scheme), ("X-Forwarded-Host", parts.netloc))
        return Forward(new_url, self._netloc, headers)

    def record(self, method: str, url: str, status: int) -> None:
        with self._lock:
            self.exchanges.append(Exchange(method, url, status))

    def clear(self) -> None:
        with self._lock:
            self.exchanges.clear()
            self.blocked.clear()
