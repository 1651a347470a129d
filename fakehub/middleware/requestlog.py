"""Fills the request log (:mod:`fakehub.requestlog`) with what each Hub request got.

The edge (:mod:`.edge`) asks :func:`caller_of` who sent a request when it arrives and calls
:func:`record_answer` when its answer starts: the log sees the answer the client really got
(faults, 500s, ``X-Request-Id``) and the caller the authentication step found.
"""

from __future__ import annotations

from starlette.types import Scope

from fakehub.faults.note import SCOPE_KEY
from fakehub.middleware.auth import caller_in
from fakehub.requestlog import Auth, RequestLog, redact_query

Who = tuple[str | None, str | None, Auth]


def caller_of(scope: Scope) -> Who:
    """User name, token role and kind of authentication (never the token itself)."""
    caller = caller_in(scope)
    if caller is None or caller.actor is None:
        return None, None, caller.auth if caller is not None else "anonymous"
    return caller.actor.name, caller.actor.role, caller.auth


def record_answer(
    log: RequestLog,
    scope: Scope,
    at_ns: int,
    who: Who,
    host: str | None,
    status: int,
    request_id: str,
) -> None:
    """One entry for a request whose answer starts now (``at_ns``: when it arrived)."""
    query = scope.get("query_string", b"")
    log.add(
        {
            "at_ns": at_ns,
            "method": scope["method"],
            "path": scope["path"],
            "query": redact_query(query) if query else "",
            "user": who[0],
            "role": who[1],
            "auth": who[2],
            "status": status,
            "request_id": request_id,
            "fault": scope.get(SCOPE_KEY),
            "host": host,
        }
    )
