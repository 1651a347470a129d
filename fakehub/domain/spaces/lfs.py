"""Classic git-lfs uploads to a Space: the batch API, upload tickets, verify.

The batch answer hands out upload hrefs that carry a one-off **ticket** (the real Hub hands out
pre-signed storage URLs: the client sends those PUTs without its Hub token). A ticket is bound
to one repo, one object (sha256 and size) and the caller who asked; the bytes it receives are
checked against that sha256 and size before they are stored, so a wrong or truncated upload
leaves nothing behind. Files above :data:`MULTIPART_THRESHOLD` get the Hub's ``multipart``
transfer (numbered part hrefs, then a completion POST).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from fakehub.domain.accounts import Actor
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest, NotFound, NotImplementedByFake
from fakehub.domain.spaces.records import LfsPointer, Space
from fakehub.domain.spaces.store import SpaceStore
from fakehub.storage.blobs import BlobStore, Staging

#: Objects larger than this use the multipart transfer (when the client offers it).
MULTIPART_THRESHOLD = 16 * 1024 * 1024
#: Size of each multipart part but the last.
PART_SIZE = 8 * 1024 * 1024
#: How long an upload ticket stays valid (virtual time).
TICKET_SECONDS = 3600


def object_key(sha256: str) -> str:
    """The blob store key of an LFS object."""
    return f"sha256:{sha256}"


@dataclass(frozen=True)
class LfsObject:
    oid: str
    size: int


@dataclass(frozen=True)
class BatchAction:
    """What the batch answer says for one object: nothing to do, or where to send it."""

    oid: str
    size: int
    #: None when the repo already has the object (the client skips the upload)
    ticket: str | None = None
    #: number of parts for a multipart upload (None: one basic PUT)
    parts: int | None = None
    #: for the xet transfer: the repo lacks this object (the client uploads it through Xet)
    xet_upload: bool = False


@dataclass(frozen=True)
class BatchAnswer:
    transfer: str
    actions: tuple[BatchAction, ...]


@dataclass
class UploadTicket:
    repo_id: str
    oid: str
    size: int
    expires_at_ns: int
    parts: int | None
    staging: Staging | None = None
    #: part number -> its size, for multipart uploads
    received: dict[int, int] = field(default_factory=dict)


def parse_objects(objects: Sequence[tuple[object, object]]) -> list[LfsObject]:
    parsed: list[LfsObject] = []
    for index, (oid, size) in enumerate(objects):
        if not isinstance(oid, str) or len(oid) != 64 or not _is_hex(oid):
            raise BadRequest(
                f"objects[{index}].oid: expected a sha256 (64 hex digits), got {oid!r}"
            )
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BadRequest(f"objects[{index}].size: expected a size >= 0, got {size!r}")
        parsed.append(LfsObject(oid.lower(), size))
    return parsed


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


class LfsService:
    def __init__(self, ctx: HubContext, store: SpaceStore, blobs: BlobStore) -> None:
        self.ctx = ctx
        self.store = store
        self.blobs = blobs
        self.upload_tokens: dict[str, UploadTicket] = {}

    @operation
    def batch(
        self,
        actor: Actor | None,
        repo_id: str,
        op: str,
        objects: Sequence[LfsObject],
        transfers: Sequence[str],
    ) -> BatchAnswer:
        """Answer a batch request: which objects to upload, and where."""
        if op != "upload":
            raise NotImplementedByFake(
                f"LFS batch operation {op!r} is not implemented by fakehub: downloads go "
                "through /resolve (hf_hub_download)"
            )
        space = self.store.visible(actor, repo_id)
        self.store.writable(actor, repo_id, "upload files to this space")
        offered = list(transfers) or ["basic"]
        if "basic" not in offered and "multipart" not in offered:
            raise BadRequest(f"transfers: fakehub speaks basic and multipart, offered {offered}")
        if "xet" in offered:
            # 0.36-1.19 clients with hf_xet offer it; like the Hub, prefer it: they then ask
            # the xet-write-token route and upload through the CAS.
            missing = [o for o in objects if o.oid not in space.objects]
            actions = tuple(BatchAction(o.oid, o.size, xet_upload=o in missing) for o in objects)
            return BatchAnswer("xet", actions)
        now = self.ctx.clock.now()
        actions = tuple(self._action(space, obj, offered, now) for obj in objects)
        transfer = "multipart" if "multipart" in offered else "basic"
        return BatchAnswer(transfer, actions)

    def _action(self, space: Space, obj: LfsObject, offered: list[str], now: int) -> BatchAction:
        known = space.objects.get(obj.oid)
        if known is not None and known.size == obj.size:
            return BatchAction(obj.oid, obj.size)
        multipart = "multipart" in offered and obj.size > MULTIPART_THRESHOLD
        parts = -(-obj.size // PART_SIZE) if multipart else None
        ticket = self.ctx.ids.sha()
        expires = now + TICKET_SECONDS * 1_000_000_000
        self.upload_tokens[ticket] = UploadTicket(space.repo_id, obj.oid, obj.size, expires, parts)
        return BatchAction(obj.oid, obj.size, ticket, parts)

    # -- the bytes -------------------------------------------------------------------------------

    @operation
    def ticket(self, ticket_id: str) -> UploadTicket:
        ticket = self.upload_tokens.get(ticket_id)
        if ticket is None or ticket.expires_at_ns < self.ctx.clock.now():
            raise NotFound(
                "LFS upload ticket not found or expired: ask the batch API for a new upload href"
            )
        if ticket.repo_id not in self.store:
            raise NotFound(f"LFS upload ticket names {ticket.repo_id}, which no longer exists")
        return ticket

    def staging_for(self, ticket: UploadTicket) -> Staging:
        with self.ctx.lock:
            if ticket.staging is None:
                ticket.staging = self.blobs.stage(ticket.size)
            return ticket.staging

    @operation
    def store_part(self, ticket_id: str, part: int, size: int) -> None:
        ticket = self.ticket(ticket_id)
        ticket.received[part] = size

    @operation
    def finish(self, ticket_id: str, sha256: str | None = None) -> LfsPointer:
        """Check the staged bytes against the ticket and keep them (or drop them all)."""
        ticket = self.ticket(ticket_id)
        staging = ticket.staging or self.staging_for(ticket)
        if ticket.parts is not None:
            self._check_parts(ticket)
        if sha256 is None:
            digest = hashlib.sha256()
            for piece in staging.pieces():
                digest.update(piece)
            sha256 = digest.hexdigest()
        del self.upload_tokens[ticket_id]
        if sha256 != ticket.oid:
            staging.abort()
            raise BadRequest(
                f"LFS object {ticket.oid}: the uploaded bytes hash to {sha256}; nothing was stored"
            )
        staging.commit(object_key(ticket.oid))
        pointer = LfsPointer(ticket.oid, ticket.size)
        space = self.store.get(ticket.repo_id)
        if space is not None:
            space.objects[ticket.oid] = pointer
        return pointer

    def _check_parts(self, ticket: UploadTicket) -> None:
        assert ticket.parts is not None
        for number in range(1, ticket.parts + 1):
            expected = min(PART_SIZE, ticket.size - (number - 1) * PART_SIZE)
            if ticket.received.get(number) != expected:
                raise BadRequest(
                    f"LFS object {ticket.oid}: part {number} is missing or incomplete "
                    f"(expected {expected} bytes, got {ticket.received.get(number, 0)})"
                )

    @operation
    def drop(self, ticket_id: str) -> None:
        """Forget a ticket whose upload failed (its staged bytes are released)."""
        ticket = self.upload_tokens.pop(ticket_id, None)
        if ticket is not None and ticket.staging is not None:
            ticket.staging.abort()

    @operation
    def verify(self, actor: Actor | None, repo_id: str, oid: str, size: int) -> None:
        """The verify action: 200 only when this repo has exactly this object."""
        space = self.store.visible(actor, repo_id)
        known = space.objects.get(oid.lower())
        if known is None:
            raise NotFound(f"LFS object {oid} was never uploaded to {repo_id}")
        if known.size != size:
            raise BadRequest(f"LFS object {oid} is {known.size} bytes, not {size}")
