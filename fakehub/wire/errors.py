"""The one place that turns domain errors into HTTP responses.

Every error carries what ``hf_raise_for_status`` needs to raise the right exception with the
server's message: a JSON body ``{"error": message}``, ``X-Error-Code`` where the Hub uses one
(``RepoNotFound``, ``RevisionNotFound``, ...), ``X-Error-Message`` where the client reads it
(403s, 404s), and ``X-Request-Id``.
"""

from __future__ import annotations

from collections.abc import Mapping

from fakehub.domain.errors import HubError
from fakehub.wire.responses import HubJSONResponse


def _header_safe(text: str) -> str:
    # Header values must be single-line, and only ASCII is safe across HTTP stacks (h11 and
    # Starlette's test client decode them as UTF-8, others as latin-1): escape anything else.
    # The body carries the message verbatim.
    flat = " ".join(text.split())
    return flat.encode("ascii", "backslashreplace").decode("ascii")


def error_response(
    error: HubError, *, extra_headers: Mapping[str, str] | None = None
) -> HubJSONResponse:
    headers: dict[str, str] = dict(extra_headers or {})
    if error.code:
        headers["X-Error-Code"] = error.code
    if error.message_header:
        headers["X-Error-Message"] = _header_safe(error.message)
    body = {"error": error.message, **error.extra}
    return HubJSONResponse(body, status_code=error.status, headers=headers)


def error_body(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> HubJSONResponse:
    """A Hub-style error for conditions found before any domain code runs (routing, framing)."""
    return HubJSONResponse({"error": message}, status_code=status, headers=dict(headers or {}))
