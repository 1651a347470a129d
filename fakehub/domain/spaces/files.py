"""A Space's files: preupload, commit, tree, paths-info and downloads (regular files only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fakehub.domain.accounts import Actor
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest, PreconditionFailed, RevisionNotFound
from fakehub.domain.spaces.card import space_card
from fakehub.domain.spaces.commits import (
    Operation,
    PreuploadAnswer,
    PreuploadFile,
    apply_operations,
    preupload,
)
from fakehub.domain.spaces.lfs import object_key
from fakehub.domain.spaces.records import SPACE_SDKS, Commit, FileContent, LfsPointer, Space
from fakehub.domain.spaces.service import SpaceService
from fakehub.domain.spaces.store import SpaceStore
from fakehub.domain.spaces.tree import (
    HEAD,
    MAIN,
    TreeEntry,
    last_commit_for,
    list_tree,
    paths_info,
    resolve_revision,
)
from fakehub.storage.xet.cas import XetCas

PULL_REQUESTS_REFUSED = "Pull requests (create_pr) are not supported by this fake Hub"
CONFLICT_MESSAGE = (
    "The branch was updated since you opened this page. Please refresh and try again."
)


@dataclass(frozen=True)
class CommitHeader:
    summary: str
    description: str = ""
    parent_commit: str | None = None


@dataclass(frozen=True)
class CommitResult:
    commit: Commit
    #: False when the operations changed nothing: no commit was made, ``commit`` is the head
    created: bool


@dataclass(frozen=True)
class FileRead:
    """A file read at a revision; ``content`` is None when the path holds no file."""

    commit_oid: str
    path: str
    content: FileContent | None


def branch_head(space: Space, revision: str) -> Commit:
    """The head of the branch a write targets (only ``main`` exists; ``HEAD`` names it)."""
    if revision not in (MAIN, HEAD):
        commit = resolve_revision(space, revision)  # RevisionNotFound for unknown names
        raise BadRequest(
            f"Invalid revision {revision!r}: it is commit {commit.oid}, not a branch; "
            "commits go to a branch and fakehub Spaces have only 'main'"
        )
    if not space.commits:
        raise RevisionNotFound(f"Invalid rev id: {revision}")
    return space.commits[-1]


class SpaceFiles:
    def __init__(
        self, ctx: HubContext, store: SpaceStore, spaces: SpaceService, cas: XetCas
    ) -> None:
        self.ctx = ctx
        self.store = store
        self.spaces = spaces
        self.cas = cas

    def _writable(self, actor: Actor | None, repo_id: str, create_pr: bool) -> Space:
        self.store.visible(actor, repo_id)
        if create_pr:
            raise BadRequest(PULL_REQUESTS_REFUSED)
        return self.store.writable(actor, repo_id, "upload files to this space")

    @operation
    def preupload(
        self,
        actor: Actor | None,
        repo_id: str,
        revision: str,
        files: Sequence[PreuploadFile],
        *,
        gitignore: str | None = None,
        create_pr: bool = False,
    ) -> tuple[list[PreuploadAnswer], str]:
        """How each file must be uploaded, and the head commit of ``revision``."""
        space = self._writable(actor, repo_id, create_pr)
        head = branch_head(space, revision)
        return preupload(files, head.tree, gitignore), head.oid

    @operation
    def commit(
        self,
        actor: Actor | None,
        repo_id: str,
        revision: str,
        header: CommitHeader,
        operations: Sequence[Operation],
        *,
        create_pr: bool = False,
    ) -> CommitResult:
        space = self._writable(actor, repo_id, create_pr)
        assert actor is not None  # writable() refused anonymous callers
        head = branch_head(space, revision)
        if not header.summary.strip():
            raise BadRequest("header.summary: the commit message cannot be empty")
        parent = header.parent_commit
        if parent is not None and not head.oid.startswith(parent.lower()):
            raise PreconditionFailed(CONFLICT_MESSAGE)
        tree = apply_operations(head.tree, operations, space.objects.get)
        if tree == dict(head.tree):
            return CommitResult(head, created=False)
        now = self.ctx.clock.now()
        commit = Commit(
            self.ctx.ids.sha(), header.summary, header.description, actor.name, now, head.oid, tree
        )
        space.commits.append(commit)
        space.files = tree  # shared with the commit: files at the head are never changed in place
        space.last_modified_at_ns = now
        card = space_card(space)
        if card.error is None and card.sdk in SPACE_SDKS:
            space.sdk = card.sdk
        self.spaces.on_files_changed(space, now)
        return CommitResult(commit, created=True)

    # -- reads -----------------------------------------------------------------------------------

    def _with_last_commits(
        self, space: Space, commit: Commit, entries: list[TreeEntry]
    ) -> list[TreeEntry]:
        return [
            dataclasses.replace(e, last_commit=last_commit_for(space, commit, e.path))
            for e in entries
        ]

    @operation
    def tree(
        self,
        actor: Actor | None,
        repo_id: str,
        revision: str,
        path: str = "",
        *,
        recursive: bool = False,
        expand: bool = False,
    ) -> list[TreeEntry]:
        space = self.store.visible(actor, repo_id)
        commit = resolve_revision(space, revision)
        entries = list_tree(commit, path.strip("/"), recursive)
        return self._with_last_commits(space, commit, entries) if expand else entries

    @operation
    def paths_info(
        self,
        actor: Actor | None,
        repo_id: str,
        revision: str,
        paths: Sequence[str],
        *,
        expand: bool = False,
    ) -> list[TreeEntry]:
        space = self.store.visible(actor, repo_id)
        commit = resolve_revision(space, revision)
        entries = paths_info(commit, list(paths))
        return self._with_last_commits(space, commit, entries) if expand else entries

    @operation
    def read(self, actor: Actor | None, repo_id: str, revision: str, path: str) -> FileRead:
        space = self.store.visible(actor, repo_id)
        commit = resolve_revision(space, revision)
        return FileRead(commit.oid, path, commit.tree.get(path))

    def object_bytes(self, pointer: LfsPointer, start: int, end: int) -> Iterator[bytes]:
        """Bytes [start, end) of an LFS or Xet file, in pieces (read outside the hub lock:
        objects never change once stored)."""
        if pointer.xet_hash is not None:
            return self.cas.iter_file(pointer.xet_hash, start, end)
        return self.cas.blobs.iter_range(object_key(pointer.sha256), start, end)

    @operation
    def history(self, actor: Actor | None, repo_id: str, revision: str) -> list[Commit]:
        """The commits reachable from ``revision``, newest first (the history is linear)."""
        space = self.store.visible(actor, repo_id)
        commit = resolve_revision(space, revision)
        end = next(n for n, c in enumerate(space.commits) if c is commit)
        return space.commits[end::-1]
