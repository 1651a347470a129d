"""An ASGI wrapper that checks every answer of the app under test against the Hub's schema.

Installed by the ``api`` and ``live`` fixtures (tests/conftest.py): each JSON answer must say
``application/json; charset=utf-8`` as the Hub does, and its body must validate against what
the Hub's published schema (tests/openapi.py, with the recorded corrections) declares for that
path, method and status. What is wrong is collected in ``violations``; the fixture fails the
test with it. The answer itself passes through untouched.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.openapi import problems, template_for

HUB_JSON = "application/json; charset=utf-8"


class SchemaCheck:
    def __init__(self, app: ASGIApp, violations: list[str]) -> None:
        self.app = app
        self.violations = violations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        status = 0
        content_type = ""
        chunks: list[bytes] = []

        async def watching_send(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
            elif message["type"] == "http.response.body" and content_type.startswith(
                "application/json"
            ):
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._check(method, path, status, content_type, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, watching_send)

    def _check(self, method: str, path: str, status: int, content_type: str, raw: bytes) -> None:
        where = f"{method} {path} {status}"
        if content_type != HUB_JSON:
            self.violations.append(
                f"{where}: Content-Type {content_type!r}, the Hub sends {HUB_JSON!r}"
            )
        template = template_for(path)
        if template is None or method == "HEAD" or not raw:
            return
        body: Any = json.loads(raw)
        for problem in problems(template, method, status, body):
            self.violations.append(f"{where} (schema {template}): {problem}")
