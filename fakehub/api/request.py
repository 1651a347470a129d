"""What every route needs from the request: the hub, the caller, the endpoint, the body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import unquote

from pydantic import BaseModel
from starlette.requests import Request

from fakehub.domain.accounts import Actor
from fakehub.domain.errors import BadRequest, PayloadTooLarge, Unauthorized
from fakehub.hub import FakeHub
from fakehub.middleware.auth import SCOPE_KEY, authenticate_scope, caller_in
from fakehub.wire.parse import parse_model
from fakehub.wire.spaces import next_page_link

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def hub_of(request: Request) -> FakeHub:
    hub: FakeHub = request.app.state.hub
    return hub


def actor_of(request: Request) -> Actor | None:
    """The authenticated caller, or ``None`` for anonymous requests (bad tokens raise 401).

    The authentication step (:mod:`fakehub.middleware.auth`) found it once for the request.
    """
    caller = caller_in(request.scope)
    if caller is None:  # an app assembled without the authentication step
        caller = authenticate_scope(hub_of(request).authenticate, request.scope)
        request.scope[SCOPE_KEY] = caller
    if caller.refused is not None:
        raise caller.refused
    return caller.actor


def require_actor(request: Request) -> Actor:
    actor = actor_of(request)
    if actor is None:
        raise Unauthorized("Invalid credentials in Authorization header")
    return actor


def repo_id_of(request: Request) -> str:
    return f"{request.path_params['namespace']}/{request.path_params['name']}"


def raw_segments(request: Request, skip: int) -> list[str]:
    """Decoded path segments after the first ``skip`` ones, split on the raw (encoded) path.

    Revisions arrive percent-encoded with ``safe=""`` (``refs%2Fpr%2F1``): decoding before
    splitting would lose the difference from three segments (commits.md §3.5).
    """
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    return [unquote(segment) for segment in path.split("/")[skip + 1 :]]


def endpoint_of(request: Request) -> str:
    """The base URL the client used, so ``url`` fields land on exactly its host.

    The plugin's in-process transport forwards ``https://huggingface.co`` traffic to the
    loopback server and says so with ``X-Forwarded-Proto``/``X-Forwarded-Host``.
    """
    scheme = request.headers.get("x-forwarded-proto") or request.url.scheme
    host = request.headers.get("x-forwarded-host") or request.headers.get("host")
    if not host:
        host = request.url.netloc
    return f"{scheme}://{host}"


async def read_body(request: Request) -> bytes:
    limit = hub_of(request).config.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"Request body too large: {declared} bytes (limit {limit})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"Request body too large: over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def body_model(request: Request, model: type[M]) -> M:
    return parse_model(model, await read_body(request))


def offset_page(
    request: Request, items: Sequence[T], size: int
) -> tuple[Sequence[T], dict[str, str]]:
    """The page of ``items`` the request's ``cursor`` (an offset handed out by the previous
    page's ``Link`` header) starts, and the headers linking the next page if there is one."""
    raw_cursor = request.query_params.get("cursor", "0")
    if not raw_cursor.isdigit():
        raise BadRequest(f"cursor: expected a page cursor from a Link header, got {raw_cursor!r}")
    start = int(raw_cursor)
    headers = {}
    if start + size < len(items):
        url = f"{endpoint_of(request)}{request.url.path}?{request.url.query}"
        headers["Link"] = next_page_link(url, start + size)
    return items[start : start + size], headers
