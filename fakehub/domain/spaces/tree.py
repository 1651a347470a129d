"""Reading a Space's files at a revision: revisions, tree entries, git object ids.

Only the ``main`` branch exists. ``HEAD`` names the default branch, as in git (the npm client's
default revision). Reads also accept the sha of any commit in its history (full, or an
unambiguous prefix of at least 7 hex digits), as ``git`` and the Hub do.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from fakehub.domain.errors import EntryNotFound, RevisionNotFound
from fakehub.domain.spaces.records import Commit, FileContent, LfsPointer, Space

MAIN = "main"
#: git's name for the default branch; the Hub resolves it like ``main``
HEAD = "HEAD"
_SHA_PREFIX = re.compile(r"^[0-9a-f]{7,40}$")


def blob_id(content: bytes) -> str:
    """The git blob id (what ``ETag``, preupload ``oid`` and tree ``oid`` carry)."""
    return hashlib.sha1(b"blob %d\x00" % len(content) + content).hexdigest()


def entry_blob_id(content: FileContent) -> str:
    """The git blob id of what git stores at a path (the pointer file, for LFS files)."""
    if isinstance(content, LfsPointer):
        return blob_id(content.pointer_text())
    return blob_id(content)


def entry_size(content: FileContent) -> int:
    """The size of the file's bytes (of the object, not the pointer, for LFS files)."""
    return content.size if isinstance(content, LfsPointer) else len(content)


def regular_bytes(tree: Mapping[str, FileContent], path: str) -> bytes | None:
    """The bytes of a regular file at ``path``; None if absent or stored as an LFS object."""
    content = tree.get(path)
    return content if isinstance(content, bytes) else None


def folder_oid(files: Mapping[str, FileContent], folder: str) -> str:
    """A stable id for a folder's content (not git's tree hash; no client reads it)."""
    prefix = folder + "/"
    digest = hashlib.sha1(b"tree\x00")
    for path in sorted(p for p in files if p.startswith(prefix)):
        digest.update(f"{path[len(prefix) :]}\x00{entry_blob_id(files[path])}\n".encode())
    return digest.hexdigest()


def resolve_revision(space: Space, revision: str) -> Commit:
    """The commit ``revision`` names: ``main``/``HEAD`` (the head) or a commit sha of its history."""
    if not space.commits:
        raise RevisionNotFound(f"Invalid rev id: {revision}")
    if revision in (MAIN, HEAD):
        return space.commits[-1]
    if _SHA_PREFIX.match(revision):
        found = [c for c in space.commits if c.oid.startswith(revision)]
        if len(found) == 1:
            return found[0]
    raise RevisionNotFound(
        f"Invalid rev id: {revision} (fakehub Spaces have one branch, 'main' (alias 'HEAD'), "
        "and its commits)"
    )


def folders_of(files: Mapping[str, FileContent]) -> set[str]:
    folders: set[str] = set()
    for path in files:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.add("/".join(parts[:depth]))
    return folders


@dataclass(frozen=True)
class TreeEntry:
    type: Literal["file", "directory"]
    path: str
    oid: str
    size: int
    #: set for files whose bytes are an LFS/Xet object
    lfs: LfsPointer | None = None
    #: the last commit that changed this path (filled in only when asked: ``expand``)
    last_commit: Commit | None = None


def _entry(files: Mapping[str, FileContent], path: str, is_folder: bool) -> TreeEntry:
    if is_folder:
        return TreeEntry("directory", path, folder_oid(files, path), 0)
    content = files[path]
    lfs = content if isinstance(content, LfsPointer) else None
    return TreeEntry("file", path, entry_blob_id(content), entry_size(content), lfs)


def last_commit_for(space: Space, commit: Commit, path: str) -> Commit:
    """The newest commit at or before ``commit`` whose change touched ``path``."""
    history = space.commits[: space.commits.index(commit) + 1]

    def state(tree: Mapping[str, FileContent]) -> list[tuple[str, FileContent]]:
        prefix = path + "/"
        found = [(p, c) for p, c in tree.items() if p == path or p.startswith(prefix)]
        return sorted(found, key=lambda item: item[0])

    for index in range(len(history) - 1, 0, -1):
        if state(history[index].tree) != state(history[index - 1].tree):
            return history[index]
    return history[0]


def list_tree(commit: Commit, folder: str, recursive: bool) -> list[TreeEntry]:
    """Entries under ``folder`` ("" for the root): direct children, or everything below."""
    files = commit.tree
    folders = folders_of(files)
    if folder and folder not in folders:
        what = "a file, not a folder" if folder in files else "not found"
        raise EntryNotFound(f"{folder}: {what} at revision {commit.oid}")
    prefix = folder + "/" if folder else ""
    entries: list[TreeEntry] = []
    for path in sorted(set(files) | folders):
        if not path.startswith(prefix):
            continue
        if not recursive and "/" in path[len(prefix) :]:
            continue
        entries.append(_entry(files, path, path in folders))
    return entries


def paths_info(commit: Commit, paths: list[str]) -> list[TreeEntry]:
    """One entry per requested path that exists (file or folder), in request order."""
    folders = folders_of(commit.tree)
    entries: list[TreeEntry] = []
    seen: set[str] = set()
    for raw in paths:
        path = raw.strip("/")
        if path in seen:
            continue
        seen.add(path)
        if path in commit.tree or path in folders:
            entries.append(_entry(commit.tree, path, path in folders))
    return entries
