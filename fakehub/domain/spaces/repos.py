"""Space repositories: create, delete, move, settings, info, list and duplicate.

Files and commits live in :class:`~fakehub.domain.spaces.files.SpaceFiles` (``hub.repos.files``).
Every operation validates everything first and mutates last, then tells the Space service
(``self.spaces``, what the hub calls ``hub.spaces``) what happened through its hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Literal, TypeVar

from fakehub.domain.accounts import Actor
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest, Conflict
from fakehub.domain.spaces.card import space_card
from fakehub.domain.spaces.commits import AddFile, apply_operations
from fakehub.domain.spaces.files import SpaceFiles
from fakehub.domain.spaces.lfs import LfsService
from fakehub.domain.spaces.listing import SORT_KEYS, SpaceQuery, SpaceView, candidates, links_match
from fakehub.domain.spaces.options import (
    SpaceOptions,
    apply_options,
    validate_options,
)
from fakehub.domain.spaces.records import SPACE_SDKS, Commit, KeyValue, Space, Visibility
from fakehub.domain.spaces.rules import validate_repo_name, validate_sdk
from fakehub.domain.spaces.service import SpaceService
from fakehub.domain.spaces.starter import INITIAL_COMMIT_TITLE, initial_files
from fakehub.domain.spaces.store import SpaceStore
from fakehub.domain.spaces.tree import MAIN, resolve_revision
from fakehub.storage.xet.cas import XetCas

T = TypeVar("T")
Gated = Literal[False, "auto", "manual"]


def split_repo_id(repo_id: str, field_name: str) -> tuple[str, str]:
    namespace, _, name = repo_id.partition("/")
    if not namespace or not name or "/" in name:
        raise BadRequest(f"{field_name}: expected 'namespace/name', got {repo_id!r}")
    return namespace, validate_repo_name(name, field_name)


class SpaceRepos:
    def __init__(
        self, ctx: HubContext, store: SpaceStore, spaces: SpaceService, cas: XetCas
    ) -> None:
        self.ctx = ctx
        self.store = store
        self.spaces = spaces
        #: preupload, commit, tree, paths-info, resolve
        self.files = SpaceFiles(ctx, store, spaces, cas)
        #: the git-lfs batch API, upload tickets and verify
        self.lfs = LfsService(ctx, store, cas.blobs)

    # -- helpers ---------------------------------------------------------------------------------

    def _conflict(self, repo_id: str, endpoint: str) -> Conflict:
        return Conflict("You already created this space repo", url=f"{endpoint}/spaces/{repo_id}")

    def _new_space(
        self, actor: Actor, namespace: str, name: str, sdk: str, visibility: Visibility, now: int
    ) -> Space:
        return Space(
            namespace=namespace,
            name=name,
            id=self.ctx.ids.object_id(),
            sdk=sdk,
            visibility=visibility,
            created_at_ns=now,
            last_modified_at_ns=now,
            author=actor.name,
            requested_hardware=None if sdk == "static" else "cpu-basic",
        )

    def _first_commit(self, space: Space, files: Sequence[AddFile], now: int) -> None:
        """The Hub's ``initial commit``: the starter files, with the caller's ``files`` over them
        (already checked); a README among them sets the sdk, as a commit does."""
        tree = apply_operations(initial_files(space.name, space.sdk, self.ctx.ids), files)
        space.files = tree  # shared with the commit: files at the head are never changed in place
        card = space_card(space)
        if files and card.error is None and card.sdk in SPACE_SDKS:
            space.sdk = card.sdk
        commit = Commit(self.ctx.ids.sha(), INITIAL_COMMIT_TITLE, "", space.author, now, None, tree)
        space.commits.append(commit)

    # -- create / delete / move ------------------------------------------------------------------

    @operation
    def create(
        self,
        actor: Actor | None,
        *,
        name: str,
        organization: str | None,
        sdk: str | None,
        visibility: Visibility | None,
        options: SpaceOptions,
        endpoint: str,
        files: Sequence[AddFile] = (),
    ) -> Space:
        """A new Space; ``files`` (the npm client's ``createRepo({files})``) join its first commit."""
        namespace = organization or (actor.name if actor else "")
        writer = self.ctx.accounts.require_write(actor, namespace, "create a space")
        validate_repo_name(name)
        if sdk is None:
            raise BadRequest(
                "sdk: required when creating a Space (gradio, streamlit, docker, static)"
            )
        validate_sdk(sdk)
        validate_options(self.ctx.accounts, namespace, sdk, options)
        self.store.check_volumes(actor, options.volumes or (), "volumes")
        repo_id = f"{namespace}/{name}"
        if self.store.taken(repo_id):
            raise self._conflict(repo_id, endpoint)
        apply_operations(initial_files(name, sdk, None), files)  # refuse before drawing ids
        now = self.ctx.clock.now()
        space = self._new_space(writer, namespace, name, sdk, visibility or "public", now)
        self._first_commit(space, files, now)
        apply_options(space, options, now)
        self.store.add(space)
        self.spaces.on_created(space, now)
        return space

    @operation
    def delete(self, actor: Actor | None, repo_id: str) -> None:
        space = self.store.writable(actor, repo_id, "delete this space")
        self.spaces.on_deleted(space)
        self.store.remove(space.repo_id)

    @operation
    def move(self, actor: Actor | None, from_id: str, to_id: str) -> Space:
        split_repo_id(from_id, "fromRepo")
        to_namespace, to_name = split_repo_id(to_id, "toRepo")
        space = self.store.writable(actor, from_id, "move this space")
        self.ctx.accounts.require_write(actor, to_namespace, "move a space")
        if self.store.taken(to_id, ignore=space):
            raise Conflict(f"toRepo: a repository named {to_id} already exists")
        self.store.remove(space.repo_id)
        old_id = space.repo_id
        space.namespace, space.name = to_namespace, to_name
        self.store.add(space)
        self.spaces.on_moved(space, old_id)
        return space

    # -- settings --------------------------------------------------------------------------------

    @operation
    def update_settings(
        self,
        actor: Actor | None,
        repo_id: str,
        *,
        visibility: Visibility | None = None,
        gated: Gated | None = None,
    ) -> Space:
        space = self.store.writable(actor, repo_id, "change the settings of this space")
        if visibility is not None:
            space.visibility = visibility
        if gated is not None:
            space.gated = gated
        return space

    @operation
    def auth_check(self, actor: Actor | None, repo_id: str, write: bool) -> None:
        if write:
            self.store.writable(actor, repo_id, "write to this space")
        else:
            self.store.visible(actor, repo_id)

    # -- reads -----------------------------------------------------------------------------------

    @operation
    def info(
        self,
        actor: Actor | None,
        repo_id: str,
        render: Callable[[SpaceView], T],
        *,
        revision: str | None = None,
        with_runtime: bool = True,
    ) -> T:
        """``render`` runs under the hub's lock, so it sees one consistent state."""
        space = self.store.visible(actor, repo_id)
        commit = resolve_revision(space, revision if revision is not None else MAIN)
        if with_runtime:
            self.spaces.observe(space, self.ctx.clock.now())
        return render(SpaceView(space, commit))

    @operation
    def list(
        self, actor: Actor | None, query: SpaceQuery, render: Callable[[SpaceView], T]
    ) -> tuple[list[T], bool]:
        """One page of Spaces the caller may see, and whether more follow."""
        if query.sort is not None and query.sort not in SORT_KEYS:
            raise BadRequest(f"sort: invalid value {query.sort!r}; expected one of {SORT_KEYS}")
        # Stop at the first match past the page: it says more follow.
        found = islice(self._matching(actor, query), query.offset + query.limit + 1)
        views = list(found)
        page = views[query.offset : query.offset + query.limit]
        return [render(v) for v in page], query.offset + query.limit < len(views)

    def _matching(self, actor: Actor | None, query: SpaceQuery) -> Iterator[SpaceView]:
        """Views of the Spaces ``actor`` may see that pass every filter, in the page's order."""
        needle = query.search.lower() if query.search is not None else None
        for space in candidates(self.store, query):
            if query.author is not None and space.namespace != query.author:
                continue
            if needle is not None and needle not in space.repo_id.lower():
                continue
            if query.filters:
                tags = self.store.index.tags(space.repo_id)  # what ``SpaceView.tags`` shows
                if not all(f in tags for f in query.filters):
                    continue
            if not self.store.can_see(actor, space):
                continue
            view = SpaceView(space, space.commits[-1])
            if links_match(view, query):
                yield view

    # -- duplicate -------------------------------------------------------------------------------

    @operation
    def duplicate(
        self,
        actor: Actor | None,
        from_id: str,
        to_id: str,
        *,
        visibility: Visibility | None,
        options: SpaceOptions,
        endpoint: str,
    ) -> Space:
        """Copy files with their history and the variables; secrets only when given (see README)."""
        source = self.store.visible(actor, from_id)
        namespace, name = split_repo_id(to_id, "repository")
        writer = self.ctx.accounts.require_write(actor, namespace, "create a space")
        validate_options(self.ctx.accounts, namespace, source.sdk, options)
        self.store.check_volumes(actor, options.volumes or (), "volumes")
        if self.store.taken(to_id):
            raise self._conflict(to_id, endpoint)
        now = self.ctx.clock.now()
        copy = self._new_space(
            writer, namespace, name, source.sdk, visibility or source.visibility, now
        )
        copy.files = dict(source.files)
        copy.objects = dict(source.objects)
        copy.commits = list(source.commits)
        copy.duplicated_from = source.repo_id
        copy.region = source.region
        copy.variables = {
            key: KeyValue(kv.key, kv.value, kv.description, now)
            for key, kv in source.variables.items()
        }
        apply_options(copy, options, now)
        self.store.add(copy)
        self.spaces.on_duplicated(source, copy, now)
        return copy
