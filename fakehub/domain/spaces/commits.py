"""Commit operations on a Space's tree, and fakehub's upload policy (regular or LFS).

A file is **LFS-class** — preupload answers ``lfs`` and its bytes must travel through the LFS
batch API or Xet — when it is larger than 10 MiB, its first 512 bytes contain a NUL byte, or its
path matches an LFS pattern of the Space's current ``.gitattributes`` (commits.md §2.3; the real
Hub's exact rule is unknown). Empty files are always regular: every client forces size-0 files to
regular mode. A regular-mode line carrying an LFS-class file is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
from fakehub.domain.spaces.records import FileContent, LfsPointer
from fakehub.domain.spaces.tree import entry_blob_id, folders_of, regular_bytes

#: Above this size a file needs LFS (the Hub's regular-file limit is about 10 MB).
MAX_REGULAR_BYTES = 10 * 1024 * 1024
SAMPLE_BYTES = 512
NOT_A_FILE = "A file with this name doesn't exist"


def lfs_reason(path: str, size: int, sample: bytes, tree: Mapping[str, FileContent]) -> str | None:
    """Why ``path`` would need LFS/Xet storage, or None for a regular file."""
    if size == 0:
        return None
    if size > MAX_REGULAR_BYTES:
        return f"it is {size} bytes, over the {MAX_REGULAR_BYTES}-byte limit for regular files"
    if b"\x00" in sample[:SAMPLE_BYTES]:
        return "it looks binary (NUL byte in its first 512 bytes)"
    attributes = (regular_bytes(tree, GITATTRIBUTES) or b"").decode("utf-8", "replace")
    if is_lfs_tracked(path, lfs_patterns(attributes)):
        return "it matches an LFS pattern of .gitattributes"
    return None


def refuse_regular(path: str, reason: str) -> UploadRefused:
    return UploadRefused(
        f"File '{path}' needs LFS/Xet storage ({reason}): upload it as an LFS file "
        "(preupload answered uploadMode 'lfs'), not as a regular commit line"
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
    #: git blob id of the regular file already at this path (sha256 for an LFS file), if any
    oid: str | None
    upload_mode: str = "regular"


def _remote_oid(content: FileContent | None) -> str | None:
    if isinstance(content, LfsPointer):
        return content.sha256  # what the client compares LFS files with (its sha256)
    return entry_blob_id(content) if content is not None else None


def preupload(
    files: Sequence[PreuploadFile], tree: Mapping[str, FileContent], gitignore: str | None
) -> list[PreuploadAnswer]:
    """Classify files the client is about to commit: regular, or LFS (bytes sent separately)."""
    ignore_text = gitignore
    if ignore_text is None:
        ignore_text = (regular_bytes(tree, GITIGNORE) or b"").decode("utf-8", "replace")
    ignore = gitignore_patterns(ignore_text)
    answers: list[PreuploadAnswer] = []
    for index, item in enumerate(files):
        validate_repo_path(item.path, f"files[{index}].path")
        if item.size < 0:
            raise BadRequest(f"files[{index}].size: must be >= 0, got {item.size}")
        ignored = is_ignored(item.path, ignore)
        reason = lfs_reason(item.path, item.size, item.sample, tree)
        mode = "regular" if reason is None else "lfs"
        answers.append(PreuploadAnswer(item.path, ignored, _remote_oid(tree.get(item.path)), mode))
    return answers


# -- commit operations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AddFile:
    path: str
    content: bytes


@dataclass(frozen=True)
class AddLfsFile:
    """An ``lfsFile`` line: a file whose bytes were uploaded before (LFS or Xet), by sha256.

    ``size`` is absent when the client copies an LFS file of the repo.
    """

    path: str
    sha256: str
    size: int | None


@dataclass(frozen=True)
class DeleteFile:
    path: str


@dataclass(frozen=True)
class DeleteFolder:
    path: str


Operation = AddFile | AddLfsFile | DeleteFile | DeleteFolder
#: Finds an uploaded object by sha256: its pointer (size, Xet hash), or None if never uploaded.
ObjectLookup = Callable[[str], LfsPointer | None]


def _no_objects(sha256: str) -> LfsPointer | None:
    return None


def _delete_folder(tree: dict[str, FileContent], folder: str) -> bool:
    prefix = folder.strip("/") + "/"
    doomed = [path for path in tree if path.startswith(prefix)] if prefix != "/" else list(tree)
    for path in doomed:
        del tree[path]
    return bool(doomed)


def _check_addition(where: str, path: str, result: Mapping[str, FileContent]) -> None:
    validate_repo_path(path, f"{where} path")
    if path in folders_of(result):
        raise BadRequest(f"{where}: a folder with this name already exists")
    parents = path.split("/")[:-1]
    for depth in range(1, len(parents) + 1):
        if "/".join(parents[:depth]) in result:
            raise BadRequest(f"{where}: {'/'.join(parents[:depth])!r} is a file")


def _lfs_object(where: str, op: AddLfsFile, lookup: ObjectLookup) -> LfsPointer:
    found = lookup(op.sha256.lower())
    if found is None:
        raise BadRequest(
            f"{where}: LFS object {op.sha256} was never uploaded (upload it through the LFS "
            "batch API or Xet before committing)"
        )
    if op.size is not None and op.size != found.size:
        raise BadRequest(
            f"{where}: LFS object {op.sha256} is {found.size} bytes, the commit says {op.size}"
        )
    return found


def apply_operations(
    tree: Mapping[str, FileContent],
    operations: Sequence[Operation],
    lookup: ObjectLookup = _no_objects,
) -> dict[str, FileContent]:
    """The tree after ``operations``, applied in order; raises before returning on any error.

    The input is never modified, so a refused commit leaves the Space as it was.
    """
    result = dict(tree)
    for index, op in enumerate(operations):
        where = f"operation {index + 1} ({op.path!r})"
        if isinstance(op, AddFile):
            _check_addition(where, op.path, result)
            reason = lfs_reason(op.path, len(op.content), op.content, tree)
            if reason is not None:
                raise refuse_regular(op.path, reason)
            result[op.path] = op.content
        elif isinstance(op, AddLfsFile):
            _check_addition(where, op.path, result)
            result[op.path] = _lfs_object(where, op, lookup)
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
