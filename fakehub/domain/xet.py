"""Xet access tokens scoped to one repo (a Space or a bucket), and the CAS operations behind them.

The Hub's ``xet-write-token`` / ``xet-read-token`` routes hand out a short-lived token bound to
one repo and a scope; every CAS call names that token. A write token lets its holder upload
xorbs (content-addressed, shared by every repo) and shards, whose files are then registered in
**that** repo (a Space keeps them by sha256 so a commit can reference them; a bucket by file
id); a read token serves only files of its repo. Unknown, expired and foreign tokens are
refused (401/403/404). Each area says how its repos are found through :class:`XetRepos`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from fakehub.domain.accounts import Actor
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    RangeNotSatisfiable,
    Unauthorized,
)
from fakehub.storage.xet.cas import (
    CasNotFound,
    CasRefused,
    Reconstruction,
    XetCas,
    XetFile,
    xorb_key,
)
from fakehub.storage.xet.hashes import str_to_hash
from fakehub.storage.xet.shard import ShardError, parse_shard, serialize_shard

#: Lifetime of a Xet access token (virtual time on the fake's side).
TOKEN_SECONDS = 3600
PULL_REQUESTS = "Pull requests (create_pr) are not supported by this fake Hub"


class XetRepos(Protocol):
    """What the Xet service needs from an area (Spaces, buckets) to scope tokens to its repos."""

    def check_access(self, actor: Actor | None, repo_id: str, scope: str) -> None:
        """404 if ``actor`` may not see the repo; 401/403 if ``scope`` is write and it may not
        write it."""

    def exists(self, repo_id: str) -> bool: ...

    def register(self, repo_id: str, files: list[XetFile]) -> None:
        """Files a shard uploaded with a write token of this repo."""

    def has_file(self, repo_id: str, file_id: str) -> bool: ...


@dataclass(frozen=True)
class XetToken:
    #: "space" or "bucket"
    kind: str
    repo_id: str
    scope: str  # "read" or "write"
    user: str
    expires_at_ns: int


@dataclass(frozen=True)
class IssuedToken:
    value: str
    expires_at_ns: int


def is_xet_hash(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


class XetService:
    def __init__(self, ctx: HubContext, cas: XetCas, areas: Mapping[str, XetRepos]) -> None:
        self.ctx = ctx
        self.cas = cas
        self.areas = areas
        #: issued tokens by value (credentials: the state dump redacts them)
        self.access_tokens: dict[str, XetToken] = {}
        self._url_key: bytes | None = None

    @operation
    def issue(
        self,
        actor: Actor | None,
        kind: str,
        repo_id: str,
        scope: str,
        *,
        create_pr: bool = False,
    ) -> IssuedToken:
        """The token route: a write token needs write access, a read token visibility."""
        self.areas[kind].check_access(actor, repo_id, scope)
        if scope == "write" and create_pr:
            raise BadRequest(PULL_REQUESTS)
        now = self.ctx.clock.now()
        value = f"xet_{self.ctx.ids.sha()}"
        expires = now + TOKEN_SECONDS * 1_000_000_000
        user = actor.name if actor is not None else ""
        self.access_tokens[value] = XetToken(kind, repo_id, scope, user, expires)
        return IssuedToken(value, expires)

    @operation
    def authorize(self, authorization: str | None, need_write: bool) -> XetToken:
        """The token a CAS request carries: 401 if missing/unknown/expired, 403 if read-only."""
        value = (authorization or "").removeprefix("Bearer ").strip()
        token = self.access_tokens.get(value)
        if token is None:
            raise Unauthorized("Xet CAS: missing or unknown access token")
        if token.expires_at_ns <= self.ctx.clock.now():
            raise Unauthorized("Xet CAS: access token expired; ask the Hub for a new one")
        if not self.areas[token.kind].exists(token.repo_id):
            raise Unauthorized(f"Xet CAS: the token's repo {token.repo_id} no longer exists")
        if need_write and token.scope != "write":
            raise Forbidden("Xet CAS: this is a read token; uploads need a write token")
        return token

    # -- uploads ---------------------------------------------------------------------------------

    def upload_xorb(self, token: XetToken, name: str, data: bytearray) -> bool:
        """Verify and keep a xorb (outside the hub lock: hashing 64 MiB takes a while)."""
        if not is_xet_hash(name):
            raise BadRequest(f"xorb hash: expected 64 lowercase hex digits, got {name!r}")
        try:
            return self.cas.add_xorb(name, data)
        except CasRefused as exc:
            raise BadRequest(str(exc)) from None

    def upload_shard(self, token: XetToken, data: bytes) -> list[XetFile]:
        """Check a shard fully, then register its files in the CAS and in the token's repo."""
        try:
            files = self.cas.check_shard(parse_shard(data))
        except (CasRefused, ShardError) as exc:
            raise BadRequest(f"shard refused: {exc}") from None
        self._register(token, files)
        return files

    @operation
    def _register(self, token: XetToken, files: list[XetFile]) -> None:
        area = self.areas[token.kind]
        if not area.exists(token.repo_id):
            raise Unauthorized(f"Xet CAS: the token's repo {token.repo_id} no longer exists")
        self.cas.register(files)
        area.register(token.repo_id, files)

    # -- downloads -------------------------------------------------------------------------------

    @operation
    def file(self, token: XetToken, file_id: str) -> XetFile:
        if not is_xet_hash(file_id):
            raise BadRequest(f"file id: expected 64 lowercase hex digits, got {file_id!r}")
        if not self.areas[token.kind].has_file(token.repo_id, file_id):
            raise NotFound(f"Xet file {file_id} not found in {token.repo_id}")
        try:
            return self.cas.file(file_id)
        except CasNotFound as exc:
            raise NotFound(str(exc)) from None

    def reconstruction(
        self, token: XetToken, file_id: str, start: int = 0, end: int | None = None
    ) -> Reconstruction:
        item = self.file(token, file_id)
        if start >= max(item.size, 1):
            raise RangeNotSatisfiable(
                f"Range start {start} is past the end of file {file_id} ({item.size} bytes)"
            )
        return self.cas.reconstruction(file_id, start, end)

    def dedupe(self, token: XetToken, chunk: str) -> bytes:
        if not is_xet_hash(chunk):
            raise BadRequest(f"chunk hash: expected 64 lowercase hex digits, got {chunk!r}")
        try:
            shard = self.cas.dedupe(str_to_hash(chunk))
        except CasNotFound as exc:
            raise NotFound(str(exc)) from None
        return serialize_shard(shard, footer=True, created_s=self.ctx.clock.now() // 10**9)

    def xorb_size(self, name: str) -> int:
        size = self.cas.blobs.size(xorb_key(name)) if is_xet_hash(name) else None
        if size is None:
            raise NotFound(f"xorb {name} not found")
        return size

    # -- signed xorb URLs ------------------------------------------------------------------------

    def sign(self, name: str, start: int, end: int) -> str:
        """The signature of a xorb byte-range URL (like the CDN's signed URLs)."""
        with self.ctx.lock:
            if self._url_key is None:
                # its own stream: a download (a read, never journaled) must not shift later ids
                self._url_key = self.ctx.ids.stream("xet-url-key").sha().encode()
            key = self._url_key
        return hmac.new(key, f"{name}:{start}-{end}".encode(), hashlib.sha256).hexdigest()

    def xorb_bytes(self, name: str, start: int, end: int, signature: str) -> Iterator[bytes]:
        """Bytes [start, end] of a stored xorb, for a URL signed by :meth:`sign`."""
        if not hmac.compare_digest(self.sign(name, start, end), signature):
            raise Forbidden("xorb URL: bad or missing signature for this byte range")
        size = self.xorb_size(name)
        if end >= size:
            raise BadRequest(f"xorb {name}: range ends past its {size} bytes")
        return self.cas.blobs.iter_range(xorb_key(name), start, end + 1)

    def file_bytes(self, file_id: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        return self.cas.iter_file(file_id, start, end)
