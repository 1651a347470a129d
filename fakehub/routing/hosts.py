"""Which hosts are the Hub, and what happened to the requests made to them.

The :class:`Router` is library-neutral: the interceptors (one per HTTP library) ask it whether a
URL is the Hub, and tell it what came back, so the plugin can list every request with the library
that sent it, report routes the fake does not implement and errors inside the fake.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import ipaddress
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

#: Hub hosts: the API, the short domain, staging, and their subdomains (CDN, storage).
_HUB_DOMAINS = ("huggingface.co", "hf.co")
#: Spaces' own app domains (``<owner>-<name>.hf.space``).
SPACE_DOMAIN = "hf.space"

#: Which library a request comes from when it goes through another one (``huggingface_hub``
#: sends through httpx, httpx2 or requests): set by the client's routed transport.
SENDER: contextvars.ContextVar[str | None] = contextvars.ContextVar("fakehub_sender", default=None)


@contextlib.contextmanager
def sent_by(library: str) -> Iterator[None]:
    """Requests made inside are recorded as ``library``'s, whatever library carries them."""
    token = SENDER.set(library)
    try:
        yield
    finally:
        SENDER.reset(token)


def is_hub_host(host: str) -> bool:
    """``huggingface.co``, ``hf.co``, ``hub-ci.huggingface.co``, any subdomain, ``*.hf.space``."""
    host = host.lower().rstrip(".")
    for domain in (*_HUB_DOMAINS, SPACE_DOMAIN):
        if host == domain or host.endswith("." + domain):
            return True
    return False


def is_app_host(host: str) -> bool:
    """A Space's own app host (``<owner>-<name>.hf.space``)."""
    return host.lower().rstrip(".").endswith("." + SPACE_DOMAIN)


def is_loopback(host: str) -> bool:
    """``localhost``, ``127.0.0.0/8``, ``::1`` (and ``*.localhost``)."""
    host = host.lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HubRequestBlocked(ConnectionError):
    """A request from ``huggingface_hub`` to a host that is not the Hub, while routed to a fake.

    A ``ConnectionError`` (the built-in one) so that code handling network failures sees one, but
    not ``requests``'/``httpx``' own connection errors, which the client retries with backoff:
    the request fails at once.
    """


class NetworkBlocked(ConnectionError):
    """A connection to a host that is neither the Hub, loopback nor allowed, under ``block_network``."""


@dataclass(frozen=True)
class Exchange:
    """One request made to the Hub, as the client wrote it, the status it got, and who sent it."""

    method: str
    url: str
    status: int
    #: ``huggingface_hub``, ``httpx``, ``httpx2``, ``requests``, ``urllib3``, ``urllib``, ``aiohttp``
    library: str = "huggingface_hub"

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class Forward:
    """Where to send a request instead, and the headers that tell the fake the original host."""

    url: str
    host: str
    headers: tuple[tuple[str, str], ...]


_NONE: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=64)
def _target(target: str) -> tuple[str, str, str, str, str]:
    """The fake's base URL, scheme, netloc, host and path prefix (a plugin session builds a
    router per test, always for the same fake)."""
    parts = urlsplit(target.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL for the fake: {target!r}")
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return base, parts.scheme, parts.netloc.lower(), (parts.hostname or "").lower(), parts.path


class Router:
    """Knows the fake's base URL (``target``), the hosts let through, and keeps the record.

    ``owner`` names who blocked a request in error messages (e.g. "the fake_hub fixture").
    ``allow_hosts`` are extra hosts let through untouched (to the real network), Hub hosts
    included.
    """

    def __init__(
        self, target: str, *, owner: str = "fakehub routing", allow_hosts: Iterable[str] = ()
    ) -> None:
        self.target, self._scheme, self.netloc, self.target_host, self._prefix = _target(target)
        self.owner = owner
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts) if allow_hosts else _NONE
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.blocked: list[str] = []

    def is_fake(self, url: str) -> bool:
        """A URL on the fake's own server (e.g. ``HfApi(endpoint=fake_hub.endpoint)``)."""
        return urlsplit(url).netloc.lower() == self.netloc

    def claims(self, url: str) -> bool:
        """Whether the fake answers ``url``: a Hub host that ``allow_hosts`` does not exempt."""
        host = (urlsplit(url).hostname or "").lower()
        return host not in self.allow_hosts and is_hub_host(host)

    def check_client(self, method: str, url: str) -> None:
        """``huggingface_hub`` may reach only the Hub, the fake itself and ``allow_hosts``."""
        host = (urlsplit(url).hostname or "").lower()
        if self.is_fake(url) or host in self.allow_hosts or is_hub_host(host):
            return
        self.note_blocked(method, url)
        raise HubRequestBlocked(
            f"{self.owner} blocked {method} {url}: while it is active, huggingface_hub may "
            f"only reach the Hub (answered by the fake at {self.target}), not {host or url!r}"
        )

    def client_answered(self, method: str, url: str, status: int) -> None:
        """The client's request went to the fake's own URL (no interception saw it): record it."""
        if self.is_fake(url):
            self.record(method, url, status, "huggingface_hub")

    def forward(self, url: str) -> Forward:
        """The same request on the fake's own server, with the original host in headers."""
        parts = urlsplit(url)
        path = self._prefix + parts.path
        new_url = urlunsplit((self._scheme, self.netloc, path, parts.query, ""))
        headers = (("X-Forwarded-Proto", parts.scheme), ("X-Forwarded-Host", parts.netloc))
        return Forward(new_url, self.netloc, headers)

    def record(self, method: str, url: str, status: int, library: str) -> None:
        with self._lock:
            self.exchanges.append(Exchange(method, url, status, SENDER.get() or library))

    def note_blocked(self, method: str, url: str) -> None:
        with self._lock:
            self.blocked.append(f"{method} {url}")

    def clear(self) -> None:
        with self._lock:
            self.exchanges.clear()
            self.blocked.clear()
