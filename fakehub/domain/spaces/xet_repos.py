"""How Xet tokens find Spaces: files a shard uploads land in the Space by sha256."""

from __future__ import annotations

from fakehub.domain.accounts import Actor
from fakehub.domain.spaces.records import LfsPointer
from fakehub.domain.spaces.store import SpaceStore
from fakehub.storage.xet.cas import XetFile


class SpaceXetRepos:
    def __init__(self, store: SpaceStore) -> None:
        self.store = store

    def check_access(self, actor: Actor | None, repo_id: str, scope: str) -> None:
        self.store.visible(actor, repo_id)
        if scope == "write":
            self.store.writable(actor, repo_id, "upload files to this space")

    def exists(self, repo_id: str) -> bool:
        return repo_id in self.store

    def register(self, repo_id: str, files: list[XetFile]) -> None:
        space = self.store.get(repo_id)
        assert space is not None
        for item in files:
            # Git repos reference files by sha256 (a shard without it uploads nothing usable).
            if item.sha256 is not None:
                space.objects[item.sha256] = LfsPointer(item.sha256, item.size, item.id)

    def has_file(self, repo_id: str, file_id: str) -> bool:
        space = self.store.get(repo_id)
        return space is not None and any(p.xet_hash == file_id for p in space.objects.values())
