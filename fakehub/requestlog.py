"""The request log: what the fake was asked, in order, for tests to assert on.

Each Hub request is recorded when its answer starts (so a log stream that is still open is
already in the log): method, path, query, the virtual time it arrived, who asked (user and token
role — never the token), the status the client got, its ``X-Request-Id``, and the fault that
shaped the answer, if any. Bodies are not recorded (they carry secret values). Requests to the
control API (``/_fakehub/*``) are not recorded: they are the test talking, not the client.

The log is bounded in entries (:data:`DEFAULT_MAX_ENTRIES`) and in bytes
(:data:`DEFAULT_MAX_BYTES`, counting each entry's path, query and a fixed overhead): the oldest
entries go first, and ``evicted`` counts them. A path or query longer than
:data:`MAX_FIELD_CHARS` is kept truncated, ending with :data:`TRUNCATED` and how much was cut,
so 100 KB search strings cannot grow the log without limit. It is reset with the hub.
It is plain data: :mod:`fakehub.middleware.requestlog` fills it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_plus

from fakehub.faults.note import FaultNote
from fakehub.faults.rules import compile_route

DEFAULT_MAX_ENTRIES = 10_000
#: the most bytes the entries may hold together (paths and queries, plus a per-entry overhead)
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: longest path or query kept as sent; longer ones are cut to this and marked
MAX_FIELD_CHARS = 2048
TRUNCATED = "...<truncated"
#: what an entry costs besides its path and query (the record, its fields, the deque slot)
ENTRY_OVERHEAD = 400
REDACTED = "<redacted>"
_SENSITIVE_PARAM = re.compile(
    r"token|secret|password|signature|api_?key|^auth(orization)?$", re.IGNORECASE
)

Auth = Literal["anonymous", "token", "invalid"]


@dataclass(frozen=True)
class LoggedRequest:
    seq: int
    at_ns: int
    method: str
    path: str
    query: str
    user: str | None
    role: str | None
    auth: Auth
    status: int
    request_id: str | None
    #: the fault applied, if any (its ``dropped`` flag is set once the cut happens)
    fault: FaultNote | None = None
    #: a Space's app host (``owner-name.hf.space``) the request was for; None for the Hub
    host: str | None = None


_FIELDS = frozenset(field.name for field in dataclasses.fields(LoggedRequest))


def _entry(fields: dict[str, Any]) -> LoggedRequest:
    """``LoggedRequest(**fields)`` for every field, without the frozen ``__init__``: its dozen
    ``object.__setattr__`` calls cost 5 µs, a third of what logging a request cost."""
    if fields.keys() != _FIELDS:
        return LoggedRequest(**fields)  # missing or unknown fields: let __init__ name them
    entry = object.__new__(LoggedRequest)
    entry.__dict__.update(fields)
    return entry


def status_matcher(text: str) -> re.Pattern[str]:
    """``"429"`` or a class like ``"4xx"``; raises ``ValueError`` naming the input."""
    if not re.fullmatch(r"[1-5](?:\d\d|xx|XX)", text):
        raise ValueError(f"not a status or status class: {text!r} (expected e.g. 429 or 4xx)")
    return re.compile(text.lower().replace("x", r"\d"))


def truncate(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """``text``, or its first ``limit`` characters marked with how many were cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}{TRUNCATED} {len(text) - limit} chars>"


def _cost(entry: LoggedRequest) -> int:
    return ENTRY_OVERHEAD + len(entry.path) + len(entry.query)


class RequestLog:
    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self._entries: deque[LoggedRequest] = deque()
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        #: bytes the entries hold, as counted against ``max_bytes``
        self.size = 0
        self.evicted = 0

    def record(self, **fields: Any) -> LoggedRequest:
        fields.setdefault("fault", None)
        fields.setdefault("host", None)
        return self.add(fields)

    def add(self, fields: dict[str, Any]) -> LoggedRequest:
        """``record`` for a dict of every field but ``seq`` (taken over: the edge builds one per
        request, and keyword arguments would copy it)."""
        path, query = fields["path"], fields["query"]
        if len(path) > MAX_FIELD_CHARS:
            fields["path"] = path = truncate(path)
        if len(query) > MAX_FIELD_CHARS:
            fields["query"] = query = truncate(query)
        cost = ENTRY_OVERHEAD + len(path) + len(query)
        with self._lock:
            fields["seq"] = next(self._seq)
            entry = _entry(fields)
            entries = self._entries
            entries.append(entry)
            self.size += cost
            while len(entries) > self.max_entries or (
                self.size > self.max_bytes and len(entries) > 1
            ):
                self.size -= _cost(entries.popleft())
                self.evicted += 1
            return entry

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self.size = 0
            return count

    def __len__(self) -> int:
        return len(self._entries)

    def find(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | str | None = None,
        fault: str | None = None,
        user: str | None = None,
        since: int = 0,
    ) -> list[LoggedRequest]:
        """Entries matching every given filter, oldest first.

        ``path``: a prefix, or a glob / route template when it has ``*``, ``?`` or ``{``.
        ``status``: ``429`` or a class ``"4xx"``. ``fault``: a fault id, or ``"*"`` for any
        faulted request. ``since``: only entries with ``seq`` greater than this.
        Raises ``ValueError`` for a malformed pattern or status.
        """
        pattern = compile_route(path) if path and any(c in path for c in "*?{") else None
        codes = status_matcher(str(status)) if status is not None else None
        with self._lock:
            entries = list(self._entries)
        return [
            e
            for e in entries
            if e.seq > since
            and (method is None or e.method == method.upper())
            and (path is None or (pattern.match(e.path) if pattern else e.path.startswith(path)))
            and (codes is None or codes.fullmatch(str(e.status)))
            and (fault is None or (e.fault is not None and fault in ("*", e.fault.id)))
            and (user is None or e.user == user)
        ]


def redact_query(raw: bytes) -> str:
    """The query string as sent, with the value of any credential-like parameter replaced."""
    segments = raw.decode("latin-1").split("&")
    for index, segment in enumerate(segments):
        key, eq, _ = segment.partition("=")
        if eq and _SENSITIVE_PARAM.search(unquote_plus(key)):
            segments[index] = f"{key}={REDACTED}"
    return "&".join(segments)
