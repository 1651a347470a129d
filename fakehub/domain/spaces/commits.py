"""Commit operations on a Space's tree, and fakehub's upload policy (regular files only).

A file is **LFS-class** — and refused, since fakehub stores no LFS or Xet objects — when it is
larger than 10 MiB, its first 512 bytes contain a NUL byte, or its path matches an LFS pattern of
the Space's current ``.gitattributes`` (commits.md §2.3; the real Hub's exact rule is unknown).
Empty files are always regular: every client forces size-0 files to regular mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fakehub.domain.errors import BadRequest, EntryNotFound, UploadRefused
from fakehub.domain.spaces.paths import (
    GITATTRIBUTES,
    GITIGNORE,
    gitignore_patterns,
    is_ignored,
    is_lfs_tracked,
    lfs_patterns,
    validate_repo_path,
)
from fakehub.domain.spaces.tree import blob_id, folders_of

#: Above this size a file needs LFS (the Hub's regular-file limit is about 10 MB).
MAX_REGULAR_BYTES = 10 * 1024 * 1024
SAMPLE_BYTES = 512
NOT_A_FILE = "A file with this name doesn't exist"


def lfs_reason(path: str, size: int, sample: bytes, tree: Mapping[str, bytes]) -> str | None:
    """Why ``path`` would need LFS/Xet storage, or None for a regular file."""
    if size == 0:
        return None
    if size > MAX_REGULAR_BYTES:
        return f"it is {size} bytes, over the {MAX_REGULAR_BYTES}-byte limit for regular files"
    if b"\x00" in sample[:SAMPLE_BYTES]:
        return "it looks binary (NUL byte in its first 512 bytes)"
    attributes = tree.get(GITATTRIBUTES, b"").decode("utf-8", "replace")
    if is_lfs_tracked(path, lfs_patterns(attributes)):
        return "it matches an LFS pattern of .gitattributes"
    return None


def refuse_lfs(path: str, reason: str) -> UploadRefused:
    return UploadRefused(
        f"File '{path}' needs LFS/Xet storage ({reason}), which this fake Hub does not "
        "implement. Only small text files can be uploaded."
    )


@dataclass(frozen=True)
class PreuploadFile:
    path: str
    size: int
    sample: bytes


@dataclass(frozen=True)
class PreuploadAnswer:
    path: str
    should_ignore: bool
    #: git blob id of the file already at this path, if any
    oid: str | None


def preupload(
    files: Sequence[PreuploadFile], tree: Mapping[str, bytes], gitignore: str | None
) -> list[PreuploadAnswer]:
    """Classify files the client is about to commit; refuse the batch if one needs LFS."""
    ignore_text = gitignore
    if ignore_text is None:
        ignore_text = tree.get(GITIGNORE, b"").decode("utf-8", "replace")
    ignore = gitignore_patterns(ignore_text)
    answers: list[PreuploadAnswer] = []
    for index, item in enumerate(files):
        validate_repo_path(item.path, f"files[{index}].path")
        if item.size < 0:
            raise BadRequest(f"files[{index}].size: must be >= 0, got {item.size}")
        ignored = is_ignored(item.path, ignore)
        reason = None if ignored else lfs_reason(item.path, item.size, item.sample, tree)
        if reason is not None:
            raise refuse_lfs(item.path, reason)
        existing = tree.get(item.path)
        answers.append(
            PreuploadAnswer(item.path, ignored, blob_id(existing) if existing is not None else None)
        )
    return answers


# -- commit operations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AddFile:
    path: str
    content: bytes


@dataclass(frozen=True)
class DeleteFile:
    path: str


@dataclass(frozen=True)
class DeleteFolder:
    path: str


Operation = AddFile | DeleteFile | DeleteFolder


def _delete_folder(tree: dict[str, bytes], folder: str) -> bool:
    prefix = folder.strip("/") + "/"
    doomed = [path for path in tree if path.startswith(prefix)] if prefix != "/" else list(tree)
    for path in doomed:
        del tree[path]
    return bool(doomed)


def apply_operations(
    tree: Mapping[str, bytes], operations: Sequence[Operation]
) -> dict[str, bytes]:
    """The tree after ``operations``, applied in order; raises before returning on any error.

    The input is never modified, so a refused commit leaves the Space as it was.
    """
    result = dict(tree)
    for index, op in enumerate(operations):
        where = f"operation {index + 1} ({op.path!r})"
        if isinstance(op, AddFile):
            validate_repo_path(op.path, f"{where} path")
            if op.path in folders_of(result):
                raise BadRequest(f"{where}: a folder with this name already exists")
            parents = op.path.split("/")[:-1]
            for depth in range(1, len(parents) + 1):
                if "/".join(parents[:depth]) in result:
                    raise BadRequest(f"{where}: {'/'.join(parents[:depth])!r} is a file")
            reason = lfs_reason(op.path, len(op.content), op.content, tree)
            if reason is not None:
                raise refuse_lfs(op.path, reason)
            result[op.path] = op.content
        elif isinstance(op, DeleteFile):
            path = op.path.strip("/")
            if path in result:
                del result[path]
            # The Hub accepts deletedFile on a folder and deletes the folder.
            elif not _delete_folder(result, path):
                raise EntryNotFound(f"{NOT_A_FILE}: {op.path}")
        elif not _delete_folder(result, op.path):
            raise EntryNotFound(f"A folder with this name doesn't exist: {op.path}")
    return result
