"""Where buckets live; every lookup goes through the visibility rules (private → 404)."""

from __future__ import annotations

from collections.abc import Iterator

from fakehub.domain.accounts import Accounts, Actor
from fakehub.domain.buckets.records import Bucket
from fakehub.domain.errors import RepoNotFound
from fakehub.storage.xet.cas import XetFile


class BucketStore:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self._buckets: dict[str, Bucket] = {}

    def __iter__(self) -> Iterator[Bucket]:
        return iter(list(self._buckets.values()))

    def __contains__(self, bucket_id: str) -> bool:
        return bucket_id in self._buckets

    def add(self, bucket: Bucket) -> None:
        self._buckets[bucket.bucket_id] = bucket

    def remove(self, bucket_id: str) -> Bucket:
        return self._buckets.pop(bucket_id)

    def get(self, bucket_id: str) -> Bucket | None:
        return self._buckets.get(bucket_id)

    def can_see(self, actor: Actor | None, bucket: Bucket) -> bool:
        return not bucket.private or self.accounts.can_read_namespace(actor, bucket.namespace)

    def visible(self, actor: Actor | None, bucket_id: str) -> Bucket:
        bucket = self._buckets.get(bucket_id)
        if bucket is None or not self.can_see(actor, bucket):
            raise RepoNotFound("Bucket not found")
        return bucket

    def writable(self, actor: Actor | None, bucket_id: str, what: str) -> Bucket:
        bucket = self.visible(actor, bucket_id)
        self.accounts.require_write(actor, bucket.namespace, what)
        return bucket

    # -- what Xet tokens need (fakehub.domain.xet.XetRepos) --------------------------------------

    def check_access(self, actor: Actor | None, repo_id: str, scope: str) -> None:
        if scope == "write":
            self.writable(actor, repo_id, "upload files to this bucket")
        else:
            self.visible(actor, repo_id)

    def exists(self, repo_id: str) -> bool:
        return repo_id in self._buckets

    def register(self, repo_id: str, files: list[XetFile]) -> None:
        bucket = self._buckets[repo_id]
        for item in files:
            bucket.uploads[item.id] = item.size

    def has_file(self, repo_id: str, file_id: str) -> bool:
        bucket = self._buckets.get(repo_id)
        if bucket is None:
            return False
        return file_id in bucket.uploads or any(
            f.xet_hash == file_id for f in bucket.files.values()
        )
