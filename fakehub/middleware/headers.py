"""The virtual ``Date`` header, ``X-Request-Id`` and the Hub's JSON charset on every answer.

The edge (:mod:`.edge`) numbers each request with :class:`RequestIds` and stamps its answer with
:func:`stamp`. 2.4.0's log reader compares event timestamps with ``Date``, so ``Date`` must come
from the virtual clock (uvicorn's own is switched off in :mod:`fakehub.server`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable

from fakehub.clock import NS_PER_SECOND
from fakehub.timefmt import http_date

#: The Hub labels its JSON answers with their charset (every recorded answer says so); doing it
#: here covers every route, error and control answer at once, whoever built the response.
_JSON = b"application/json"
_HUB_JSON = b"application/json; charset=utf-8"
#: the headers the edge sets itself (whatever the route or a fault put there is replaced)
_OWN = (b"date", b"x-request-id")

#: where the request id is left in the scope, for the crash guard's report
REQUEST_ID_KEY = "fakehub.request_id"

Headers = list[tuple[bytes, bytes]]


class RequestIds:
    """``Root=1-<n>-fakehub``, numbered from 1, with the client's own trace id appended."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self, trace: bytes | None) -> str:
        request_id = f"Root=1-{next(self._counter):08x}-fakehub"
        return f"{request_id};{trace.decode('latin-1')}" if trace else request_id


@functools.lru_cache(maxsize=64)
def _date_header(seconds: int) -> tuple[bytes, bytes]:
    """One ``Date`` header per virtual second (reads stamp the same seconds again and again)."""
    return b"date", http_date(seconds * NS_PER_SECOND).encode()


def stamp(headers: Iterable[tuple[bytes, bytes]], now_ns: int, request_id: bytes) -> Headers:
    """``headers`` with the virtual ``Date``, the request id and the JSON charset."""
    stamped: Headers = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in _OWN:
            continue
        if lowered == b"content-type" and value.strip().lower() == _JSON:
            value = _HUB_JSON
        stamped.append((name, value))
    stamped.append(_date_header(now_ns // NS_PER_SECOND))
    stamped.append((b"x-request-id", request_id))
    return stamped
