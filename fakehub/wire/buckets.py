"""Buckets on the wire: info objects, tree entries, the NDJSON batch body."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from fakehub.domain.buckets.records import Bucket, BucketFile
from fakehub.domain.buckets.service import AddFile, BatchOp, BucketEntry, DeleteFile
from fakehub.domain.errors import BadRequest
from fakehub.timefmt import iso
from fakehub.untrusted import InputRefused, load_json
from fakehub.wire.parse import WireModel

#: Source repo types a ``copyFile`` may name (models and datasets are not faked).
COPY_SOURCES = ("bucket", "space")


class CreateBucketBody(WireModel):
    visibility: str | None = None
    private: bool | None = None
    region: str | None = None
    resource_group_id: str | None = Field(default=None, alias="resourceGroupId")

    def is_private(self) -> bool:
        if self.visibility not in (None, "public", "private", "protected"):
            raise BadRequest(f"visibility: expected public or private, got {self.visibility!r}")
        return self.visibility == "private" or bool(self.private)


class BucketSettingsBody(WireModel):
    private: bool | None = None


class BucketPathsBody(WireModel):
    paths: list[str] = Field(max_length=1000)


def bucket_json(bucket: Bucket) -> dict[str, Any]:
    """The Hub's bucket overview (its OpenAPI: ``GET /api/buckets/{namespace}/{repo}``)."""
    regions = [{"provider": "aws", "region": bucket.region}] if bucket.region else []
    return {
        "id": bucket.bucket_id,
        "author": bucket.namespace,
        "private": bucket.private,
        "createdAt": iso(bucket.created_at_ns),
        "updatedAt": iso(max(bucket.updated_at_ns, bucket.created_at_ns)),
        "size": bucket.size,
        "totalFiles": len(bucket.files),
        "repoType": "bucket",
        "cdnRegions": regions,
    }


def bucket_file_json(path: str, item: BucketFile) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "file",
        "path": path,
        "size": item.size,
        "xetHash": item.xet_hash,
        "uploadedAt": iso(item.uploaded_at_ns),
    }
    if item.mtime_ms is not None:
        body["mtime"] = iso(item.mtime_ms * 1_000_000)
    if item.content_type:
        body["contentType"] = item.content_type
    return body


def entry_json(entry: BucketEntry) -> dict[str, Any]:
    if entry.file is not None:
        return bucket_file_json(entry.path, entry.file)
    return {"type": "directory", "path": entry.path, "uploadedAt": iso(entry.uploaded_at_ns)}


def _op(item: Any, where: str) -> BatchOp:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise BadRequest(f"{where}: expected an object with a string 'path'")
    kind = item.get("type")
    if kind == "deleteFile":
        return DeleteFile(item["path"])
    if kind not in ("addFile", "copyFile"):
        raise BadRequest(f"{where}: unknown type {kind!r}; expected addFile, copyFile, deleteFile")
    xet_hash, mtime = item.get("xetHash"), item.get("mtime")
    if not isinstance(xet_hash, str) or len(xet_hash) != 64:
        raise BadRequest(f"{where}: 'xetHash' must be a 64-hex Xet file id")
    if mtime is not None and not isinstance(mtime, int):
        raise BadRequest(f"{where}: 'mtime' must be milliseconds since the epoch")
    source = None
    if kind == "copyFile":
        source_type, source_id = item.get("sourceRepoType"), item.get("sourceRepoId")
        if source_type not in COPY_SOURCES or not isinstance(source_id, str):
            raise BadRequest(
                f"{where}: copyFile sources must be a bucket or a space (models and datasets "
                f"are not faked), got {source_type!r}"
            )
        source = (str(source_type), source_id)
    content_type = item.get("contentType")
    return AddFile(item["path"], xet_hash.lower(), mtime, content_type, source)


def parse_batch(raw: bytes) -> list[BatchOp]:
    try:
        lines = [line for line in raw.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise BadRequest("batch body is not valid UTF-8") from None
    ops = []
    for number, line in enumerate(lines, start=1):
        try:
            item = load_json(line)
        except InputRefused as exc:
            raise BadRequest(f"line {number}: refused: {exc}") from None
        except json.JSONDecodeError as exc:
            raise BadRequest(f"line {number}: not valid JSON ({exc})") from None
        ops.append(_op(item, f"line {number}"))
    return ops
