"""Bucket operations: create, info, list, delete, move, settings, tree, paths-info, batch.

Permissions are those of repos: a private bucket is invisible (404) to anyone who may not read
its namespace; changes need write access to it. A batch is validated whole before anything
changes: an ``addFile`` must name a Xet file uploaded with a write token of this bucket (or
already in it), a ``copyFile`` a file of a source the caller may read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fakehub.domain.accounts import Actor
from fakehub.domain.buckets.records import Bucket, BucketFile
from fakehub.domain.buckets.store import BucketStore
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest, Conflict, EntryNotFound
from fakehub.domain.spaces.paths import validate_repo_path
from fakehub.domain.spaces.records import LfsPointer
from fakehub.domain.spaces.rules import validate_repo_name
from fakehub.domain.spaces.store import SpaceStore


@dataclass(frozen=True)
class AddFile:
    path: str
    xet_hash: str
    mtime_ms: int | None
    content_type: str | None = None
    #: for ``copyFile``: where the file comes from ("bucket"/"space", id); None for ``addFile``
    source: tuple[str, str] | None = None


@dataclass(frozen=True)
class DeleteFile:
    path: str


BatchOp = AddFile | DeleteFile


@dataclass(frozen=True)
class BucketEntry:
    type: str  # "file" or "directory"
    path: str
    file: BucketFile | None
    uploaded_at_ns: int


class BucketService:
    def __init__(self, ctx: HubContext, store: BucketStore, spaces: SpaceStore) -> None:
        self.ctx = ctx
        self.store = store
        self.spaces = spaces

    def _namespace(self, actor: Actor | None, namespace: str) -> str:
        # the client says "me" for the caller's own namespace
        return actor.name if namespace == "me" and actor is not None else namespace

    @operation
    def create(
        self,
        actor: Actor | None,
        namespace: str,
        name: str,
        *,
        private: bool,
        region: str | None = None,
        resource_group_id: str | None = None,
    ) -> Bucket:
        namespace = self._namespace(actor, namespace)
        self.ctx.accounts.require_write(actor, namespace, "create a bucket")
        validate_repo_name(name)
        bucket_id = f"{namespace}/{name}"
        if any(b.bucket_id.lower() == bucket_id.lower() for b in self.store):
            raise Conflict(f"You already created this bucket: {bucket_id}")
        now = self.ctx.clock.now()
        bucket = Bucket(namespace, name, self.ctx.ids.object_id(), private, now, region)
        bucket.resource_group_id = resource_group_id
        self.store.add(bucket)
        return bucket

    @operation
    def info(self, actor: Actor | None, bucket_id: str) -> Bucket:
        return self.store.visible(actor, bucket_id)

    @operation
    def list_buckets(self, actor: Actor | None, namespace: str, search: str | None) -> list[Bucket]:
        namespace = self._namespace(actor, namespace)
        return [
            b
            for b in self.store
            if b.namespace == namespace
            and self.store.can_see(actor, b)
            and (not search or search.lower() in b.name.lower())
        ]

    @operation
    def delete(self, actor: Actor | None, bucket_id: str) -> None:
        self.store.writable(actor, bucket_id, "delete this bucket")
        self.store.remove(bucket_id)

    @operation
    def move(self, actor: Actor | None, from_id: str, to_id: str) -> Bucket:
        namespace, _, name = to_id.partition("/")
        if not namespace or not name or "/" in name:
            raise BadRequest(f"toRepo: expected 'namespace/name', got {to_id!r}")
        validate_repo_name(name, "toRepo")
        bucket = self.store.writable(actor, from_id, "move this bucket")
        self.ctx.accounts.require_write(actor, namespace, "move a bucket")
        if to_id in self.store and to_id != from_id:
            raise Conflict(f"toRepo: a bucket named {to_id} already exists")
        self.store.remove(from_id)
        bucket.namespace, bucket.name = namespace, name
        self.store.add(bucket)
        return bucket

    @operation
    def update_settings(self, actor: Actor | None, bucket_id: str, private: bool | None) -> None:
        bucket = self.store.writable(actor, bucket_id, "change the settings of this bucket")
        if private is not None:
            bucket.private = private
            bucket.updated_at_ns = self.ctx.clock.now()

    # -- files -----------------------------------------------------------------------------------

    @operation
    def tree(
        self, actor: Actor | None, bucket_id: str, prefix: str, recursive: bool
    ) -> list[BucketEntry]:
        bucket = self.store.visible(actor, bucket_id)
        base = prefix.strip("/")
        lead = base + "/" if base else ""
        entries: dict[str, BucketEntry] = {}
        for path, item in sorted(bucket.files.items()):
            if not path.startswith(lead):
                continue
            parts = path[len(lead) :].split("/")
            depth = len(parts) if recursive else 1
            for level in range(1, min(depth, len(parts) - 1) + 1):
                folder = lead + "/".join(parts[:level])
                seen = entries.get(folder)
                newest = max(item.uploaded_at_ns, seen.uploaded_at_ns if seen else 0)
                entries[folder] = BucketEntry("directory", folder, None, newest)
            if recursive or len(parts) == 1:
                entries[path] = BucketEntry("file", path, item, item.uploaded_at_ns)
        # An unknown prefix lists nothing (sync_bucket lists a folder before creating it).
        return [entries[key] for key in sorted(entries)]

    @operation
    def paths_info(
        self, actor: Actor | None, bucket_id: str, paths: Sequence[str]
    ) -> list[tuple[str, BucketFile]]:
        bucket = self.store.visible(actor, bucket_id)
        return [(p, bucket.files[p]) for p in dict.fromkeys(paths) if p in bucket.files]

    @operation
    def read(self, actor: Actor | None, bucket_id: str, path: str) -> BucketFile:
        bucket = self.store.visible(actor, bucket_id)
        found = bucket.files.get(path)
        if found is None:
            raise EntryNotFound(f"Entry not found: {path} in bucket {bucket_id}")
        return found

    @operation
    def batch(
        self, actor: Actor | None, bucket_id: str, ops: Sequence[BatchOp]
    ) -> list[tuple[str, str]]:
        """Apply ``ops`` all together; or return ``(path, error)`` failures and change nothing."""
        bucket = self.store.writable(actor, bucket_id, "change files in this bucket")
        files = dict(bucket.files)
        failures: list[tuple[str, str]] = []
        now = self.ctx.clock.now()
        for op in ops:
            error = self._apply(actor, bucket, files, op, now)
            if error is not None:
                failures.append((op.path, error))
        if not failures:
            bucket.files = files
            bucket.updated_at_ns = now
        return failures

    def _apply(
        self,
        actor: Actor | None,
        bucket: Bucket,
        files: dict[str, BucketFile],
        op: BatchOp,
        now: int,
    ) -> str | None:
        try:
            validate_repo_path(op.path)
        except BadRequest as exc:
            return exc.message
        if isinstance(op, DeleteFile):
            if files.pop(op.path, None) is None:
                return f"{op.path}: no such file in bucket {bucket.bucket_id}"
            return None
        size = self._source_size(actor, bucket, op)
        if size is None:
            where = f"{op.source[0]} {op.source[1]}" if op.source else "this bucket"
            return f"Xet file {op.xet_hash} was not uploaded to {where}"
        files[op.path] = BucketFile(op.xet_hash, size, op.mtime_ms, now, op.content_type)
        return None

    def _source_size(self, actor: Actor | None, bucket: Bucket, op: AddFile) -> int | None:
        known = {f.xet_hash: f.size for f in bucket.files.values()}
        if op.source is None:
            return bucket.uploads.get(op.xet_hash, known.get(op.xet_hash))
        kind, source_id = op.source
        if kind == "bucket":
            source = self.store.get(source_id)
            if source is None or not self.store.can_see(actor, source):
                return None
            return {f.xet_hash: f.size for f in source.files.values()}.get(op.xet_hash)
        space = self.spaces.get(source_id) if kind == "space" else None
        if space is None or not self.spaces.can_see(actor, space):
            return None
        for content in space.files.values():
            if isinstance(content, LfsPointer) and content.xet_hash == op.xet_hash:
                return content.size
        return None
