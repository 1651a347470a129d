"""A bucket and the files it holds (each a Xet file, by id)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BucketFile:
    xet_hash: str
    size: int
    #: the client's modification time (ms since the epoch), as sent in ``addFile``
    mtime_ms: int | None
    uploaded_at_ns: int
    content_type: str | None = None


@dataclass
class Bucket:
    namespace: str
    name: str
    id: str  # 24-hex object id
    private: bool
    created_at_ns: int
    region: str | None = None
    #: last change of its files or settings (0: never changed since creation)
    updated_at_ns: int = 0
    resource_group_id: str | None = None
    files: dict[str, BucketFile] = field(default_factory=dict)
    #: Xet files uploaded with a write token of this bucket (by file id, with their size)
    uploads: dict[str, int] = field(default_factory=dict)

    @property
    def bucket_id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files.values())
