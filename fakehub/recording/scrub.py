"""Keeping credentials out of cassettes.

Three rules, applied to every string of an interaction (path, query, headers, bodies, events):

1. **Structure**: secret *values* the client sends are replaced wherever the Hub's request shapes
   put them: ``value`` in ``POST /api/spaces/{id}/secrets``; every value of a ``secrets`` map
   (Jobs, scheduled jobs, webhooks); ``value`` of each item of a ``secrets`` list (create and
   duplicate a Space); a webhook's ``secret``. A body is read as the route reads it — JSON
   whatever its ``Content-Type`` (see ``request_body_fields``) — and a body that is not JSON,
   sent to a route whose requests carry secrets, is replaced whole (the secret cannot be told
   apart from the rest of it).
2. **Learned values**: every token sent in ``Authorization`` and every secret value found by
   rule 1 (when at least :data:`MIN_LEARNED` characters long) is replaced wherever it appears
   later or earlier in the session: echoed in a response, printed in job logs, in a URL.
3. **Patterns**: anything shaped like a Hub token (``hf_`` and 30+ letters or digits) and every
   ``--scrub PATTERN`` (a Python regular expression).

Replay applies the same rules to incoming requests before matching, so a replay matches whatever
token or secret value the client uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fakehub.recording.cassette import Headers, Request, Response
from fakehub.recording.wire import map_request, map_response

TOKEN = "<scrubbed:token>"
SECRET = "<scrubbed:secret>"
PATTERN = "<scrubbed:pattern>"
#: shorter secret values are scrubbed where they are sent, not searched for elsewhere: replacing
#: every "abc" in a cassette would corrupt it without protecting anything
MIN_LEARNED = 6
HF_TOKEN_SHAPE = re.compile(r"hf_[A-Za-z0-9]{30,}")
#: routes whose request bodies may carry a secret value (Space secrets, Jobs, scheduled Jobs,
#: creating or duplicating a Space with secrets, webhooks)
SECRET_ROUTES = re.compile(
    r"/secrets/?$|^/api/jobs/[^/]+/?$|^/api/scheduled-jobs/[^/]+(/[^/]+)?/?$"
    r"|^/api/repos/create/?$|^/api/spaces/[^/]+/[^/]+/duplicate/?$|^/api/settings/webhooks"
)


def compile_patterns(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        if not pattern:
            raise ValueError("--scrub: an empty pattern would match everything")
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(
                f"--scrub {pattern!r}: not a valid regular expression: {exc}"
            ) from None
    return compiled


class Scrubber:
    def __init__(self, patterns: Iterable[str] = ()) -> None:
        self._patterns = [HF_TOKEN_SHAPE, *compile_patterns(patterns)]
        #: learned value -> placeholder
        self._learned: dict[str, str] = {}

    def learn(self, request: Request) -> None:
        """Remember the credentials this request carries (call before scrubbing anything)."""
        auth = request.headers.get("authorization")
        for value in auth if isinstance(auth, list) else [auth] if auth else []:
            token = value.split(" ", 1)[-1].strip()
            if token and token != TOKEN:
                self._learned[token] = TOKEN
        if "json_" in request.model_fields_set:
            for secret in _secret_values(request.path, request.json_):
                if len(secret) >= MIN_LEARNED:
                    self._learned[secret] = SECRET

    def text(self, value: str) -> str:
        for secret in sorted(self._learned, key=len, reverse=True):
            if secret in value:
                value = value.replace(secret, self._learned[secret])
        for pattern in self._patterns:
            value = pattern.sub(PATTERN if pattern is not HF_TOKEN_SHAPE else TOKEN, value)
        return value

    def request(self, request: Request) -> Request:
        if "json_" in request.model_fields_set:
            request = request.model_copy(
                update={"json_": _hide_secrets(request.path, request.json_)}
            )
        elif (request.text or request.base64) and SECRET_ROUTES.search(request.path):
            request = Request(
                method=request.method,
                path=request.path,
                query=request.query,
                headers=request.headers,
                text=SECRET,
            )
        scrubbed = map_request(request, self.text)
        return scrubbed.model_copy(update={"headers": _scrub_auth(scrubbed.headers)})

    def response(self, response: Response) -> Response:
        return map_response(response, self.text)


def _scrub_auth(headers: Headers) -> Headers:
    """Keep the scheme (``Bearer``), so a cassette shows the request was authenticated."""
    value = headers.get("authorization")
    if value is None:
        return headers

    def one(text: str) -> str:
        return f"{text.partition(' ')[0]} {TOKEN}" if " " in text.strip() else TOKEN

    return {
        **headers,
        "authorization": [one(v) for v in value] if isinstance(value, list) else one(value),
    }


def _secret_values(path: str, body: Any) -> list[str]:
    found: list[str] = []
    _hide_secrets(path, body, found)
    return found


def _hide_secrets(path: str, body: Any, found: list[str] | None = None) -> Any:
    """``body`` with secret values replaced by :data:`SECRET` (collected into ``found``)."""
    sink = found if found is not None else []

    def hide(value: Any) -> Any:
        if isinstance(value, str):
            sink.append(value)
            return SECRET
        return value

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return [walk(v) for v in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "secrets" and isinstance(item, dict):
                out[key] = {k: hide(v) for k, v in item.items()}
            elif key == "secrets" and isinstance(item, list):
                out[key] = [
                    {**s, "value": hide(s["value"])} if isinstance(s, dict) and "value" in s else s
                    for s in item
                ]
            elif key == "secret":
                out[key] = hide(item)
            else:
                out[key] = walk(item)
        return out

    hidden = walk(body)
    if path.rstrip("/").endswith("/secrets") and isinstance(hidden, dict) and "value" in hidden:
        hidden = {**hidden, "value": hide(hidden["value"])}
    return hidden
