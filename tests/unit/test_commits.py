"""Commits, trees and the upload policy without HTTP."""

from __future__ import annotations

import pytest

from fakehub import FakeHub
from fakehub.domain.errors import (
    BadRequest,
    EntryNotFound,
    Forbidden,
    PreconditionFailed,
    RevisionNotFound,
    UploadRefused,
)
from fakehub.domain.spaces.commits import (
    MAX_REGULAR_BYTES,
    AddFile,
    DeleteFile,
    DeleteFolder,
    PreuploadFile,
    apply_operations,
    lfs_reason,
)
from fakehub.domain.spaces.files import CommitHeader, CommitResult
from fakehub.domain.spaces.options import SpaceOptions
from fakehub.domain.spaces.paths import (
    gitignore_patterns,
    is_ignored,
    is_lfs_tracked,
    lfs_patterns,
    validate_repo_path,
)
from fakehub.domain.spaces.records import Commit, SpaceStage
from fakehub.domain.spaces.starter import GITATTRIBUTES_TEXT
from fakehub.domain.spaces.tree import blob_id, list_tree, paths_info
from tests.space_factory import actor_for

REPO = "fakeuser/demo"


@pytest.fixture
def space_hub(hub: FakeHub) -> FakeHub:
    hub.repos.create(
        actor_for(hub),
        name="demo",
        organization=None,
        sdk="gradio",
        visibility=None,
        options=SpaceOptions(),
        endpoint="http://fake.test",
    )
    return hub


def _commit(
    hub: FakeHub, *ops: AddFile | DeleteFile | DeleteFolder, parent: str | None = None
) -> CommitResult:
    return hub.repos.files.commit(
        actor_for(hub), REPO, "main", CommitHeader("msg", "", parent), ops
    )


# -- pure rules -------------------------------------------------------------------------------


def test_blob_id_is_gits() -> None:
    assert blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


@pytest.mark.parametrize(
    "path", ["", "/abs", "dir/", "a//b", "./a", "a/../b", ".git/config", "x/.git"]
)
def test_invalid_repo_paths(path: str) -> None:
    with pytest.raises(BadRequest, match="invalid path"):
        validate_repo_path(path)


def test_gitignore_matching() -> None:
    patterns = gitignore_patterns("# comment\n*.log\n/build/\ncache/\n!keep.log\ndocs/*.md\n")
    assert is_ignored("app.log", patterns) and is_ignored("deep/x.log", patterns)
    assert not is_ignored("keep.log", patterns)
    assert is_ignored("build/out.js", patterns) and not is_ignored("src/build", patterns)
    assert is_ignored("a/cache/x", patterns) and not is_ignored("cache", patterns)
    assert is_ignored("docs/a.md", patterns) and not is_ignored("docs/sub/a.md", patterns)
    assert not is_ignored("app.py", patterns)


def test_lfs_patterns_of_the_default_gitattributes() -> None:
    patterns = lfs_patterns(GITATTRIBUTES_TEXT)
    assert is_lfs_tracked("model.bin", patterns) and is_lfs_tracked("w/x.safetensors", patterns)
    assert is_lfs_tracked("saved_model/a/b/c", patterns)
    assert is_lfs_tracked("data.tar.gz", patterns) and is_lfs_tracked("run.tfevents.1", patterns)
    assert not is_lfs_tracked("app.py", patterns) and not is_lfs_tracked("README.md", patterns)


def test_lfs_reason() -> None:
    tree = {".gitattributes": GITATTRIBUTES_TEXT.encode()}
    assert lfs_reason("app.py", 10, b"print(1)\n", tree) is None
    assert lfs_reason("empty.pkl", 0, b"", tree) is None  # clients force size 0 to regular
    assert "LFS pattern" in (lfs_reason("m.pkl", 3, b"abc", tree) or "")
    assert "binary" in (lfs_reason("x.dat", 3, b"a\x00b", tree) or "")
    assert "limit" in (lfs_reason("big.txt", MAX_REGULAR_BYTES + 1, b"a", tree) or "")


def test_apply_operations_in_order_without_touching_the_input() -> None:
    tree = {"a.txt": b"a", "dir/b.txt": b"b", "dir/sub/c.txt": b"c"}
    result = apply_operations(
        tree, [AddFile("new.txt", b"n"), DeleteFile("dir/sub"), DeleteFile("a.txt")]
    )
    assert result == {"dir/b.txt": b"b", "new.txt": b"n"}
    assert tree == {"a.txt": b"a", "dir/b.txt": b"b", "dir/sub/c.txt": b"c"}
    assert apply_operations(tree, [DeleteFolder("dir/")]) == {"a.txt": b"a"}


@pytest.mark.parametrize(
    ("op", "error", "message"),
    [
        (DeleteFile("missing.txt"), EntryNotFound, "A file with this name doesn't exist"),
        (DeleteFolder("nope"), EntryNotFound, "A folder with this name doesn't exist"),
        (AddFile("dir", b"x"), BadRequest, "a folder with this name already exists"),
        (AddFile("a.txt/x", b"x"), BadRequest, "'a.txt' is a file"),
        (AddFile("../x", b"x"), BadRequest, "invalid path"),
        (AddFile("x.bin", b"\x00"), UploadRefused, "needs LFS/Xet storage"),
    ],
)
def test_apply_operations_refusals(op: object, error: type[Exception], message: str) -> None:
    tree = {"a.txt": b"a", "dir/b.txt": b"b"}
    with pytest.raises(error, match=message):
        apply_operations(tree, [AddFile("ok.txt", b"ok"), op])  # type: ignore[list-item]


def test_list_tree_and_paths_info() -> None:
    files = {"a.txt": b"a", "dir/b.txt": b"bb", "dir/sub/c.txt": b"c"}
    commit = Commit("0" * 40, "t", "", "u", 0, None, files)
    top = [(e.type, e.path) for e in list_tree(commit, "", recursive=False)]
    assert top == [("file", "a.txt"), ("directory", "dir")]
    everything = [e.path for e in list_tree(commit, "", recursive=True)]
    assert everything == ["a.txt", "dir", "dir/b.txt", "dir/sub", "dir/sub/c.txt"]
    under = [(e.path, e.size) for e in list_tree(commit, "dir", recursive=False)]
    assert under == [("dir/b.txt", 2), ("dir/sub", 0)]
    with pytest.raises(EntryNotFound):
        list_tree(commit, "nope", recursive=False)
    with pytest.raises(EntryNotFound, match="a file, not a folder"):
        list_tree(commit, "a.txt", recursive=False)
    info = paths_info(commit, ["dir/b.txt", "missing", "dir", "dir/b.txt"])
    assert [(e.type, e.path, e.oid) for e in info] == [
        ("file", "dir/b.txt", blob_id(b"bb")),
        ("directory", "dir", info[1].oid),
    ]


# -- SpaceFiles -----------------------------------------------------------------------------------


def test_commit_moves_main_and_rebuilds(space_hub: FakeHub) -> None:
    space = space_hub.space_store.get(REPO)
    assert space is not None and space.stage is SpaceStage.NO_APP_FILE
    initial = space.sha
    result = _commit(space_hub, AddFile("app.py", b"print(1)\n"), parent=initial)
    assert result.created and space.sha == result.commit.oid != initial
    assert result.commit.parent == initial and result.commit.author == "fakeuser"
    assert space.files["app.py"] == b"print(1)\n"
    assert space.stage is SpaceStage.BUILDING


def test_commit_that_changes_nothing_makes_no_commit(space_hub: FakeHub) -> None:
    space = space_hub.space_store.get(REPO)
    assert space is not None
    head = space.sha
    result = _commit(space_hub)
    assert not result.created and result.commit.oid == head and len(space.commits) == 1


def test_stale_parent_and_refused_operations_leave_the_space_unchanged(
    space_hub: FakeHub,
) -> None:
    space = space_hub.space_store.get(REPO)
    assert space is not None
    first = space.sha
    _commit(space_hub, AddFile("a.txt", b"a"))
    before = (space.sha, dict(space.files), len(space.commits))
    with pytest.raises(PreconditionFailed, match="branch was updated"):
        _commit(space_hub, AddFile("b.txt", b"b"), parent=first)
    with pytest.raises(EntryNotFound):
        _commit(space_hub, AddFile("b.txt", b"b"), DeleteFile("missing"))
    with pytest.raises(BadRequest, match="not a branch"):
        space_hub.repos.files.commit(actor_for(space_hub), REPO, first or "", CommitHeader("m"), [])
    with pytest.raises(RevisionNotFound):
        space_hub.repos.files.commit(actor_for(space_hub), REPO, "dev", CommitHeader("m"), [])
    with pytest.raises(BadRequest, match="Pull requests"):
        space_hub.repos.files.commit(
            actor_for(space_hub), REPO, "main", CommitHeader("m"), [], create_pr=True
        )
    with pytest.raises(Forbidden):
        space_hub.repos.files.commit(
            actor_for(space_hub, "hf_fake_read"), REPO, "main", CommitHeader("m"), []
        )
    assert (space.sha, dict(space.files), len(space.commits)) == before


def test_a_readme_commit_changes_the_sdk(space_hub: FakeHub) -> None:
    _commit(space_hub, AddFile("README.md", b"---\nsdk: docker\n---\n"))
    space = space_hub.space_store.get(REPO)
    assert space is not None and space.sdk == "docker"


def test_preupload_classifies_regular_and_lfs(space_hub: FakeHub) -> None:
    _commit(space_hub, AddFile("app.py", b"x = 1\n"))
    files = space_hub.repos.files
    answers, head = files.preupload(
        actor_for(space_hub),
        REPO,
        "main",
        [PreuploadFile("app.py", 6, b"x = 1\n"), PreuploadFile("debug.log", 3, b"log")],
        gitignore="*.log\n",
    )
    space = space_hub.space_store.get(REPO)
    assert space is not None and head == space.sha
    assert [(a.path, a.should_ignore, a.oid) for a in answers] == [
        ("app.py", False, blob_id(b"x = 1\n")),
        ("debug.log", True, None),
    ]
    lfs, _ = files.preupload(
        actor_for(space_hub), REPO, "main", [PreuploadFile("model.pt", 4, b"abcd")]
    )
    assert lfs[0].upload_mode == "lfs"
    ignored, _ = files.preupload(
        actor_for(space_hub), REPO, "main", [PreuploadFile("x.bin", 1, b"\x00")], gitignore="*.bin"
    )
    assert ignored[0].should_ignore and ignored[0].upload_mode == "lfs"


def test_tree_expand_names_the_last_commit_of_each_entry(space_hub: FakeHub) -> None:
    first = _commit(space_hub, AddFile("dir/a.txt", b"a")).commit
    space_hub.advance(5)
    second = _commit(space_hub, AddFile("b.txt", b"b")).commit
    entries = space_hub.repos.files.tree(None, REPO, "main", recursive=True, expand=True)
    last = {e.path: e.last_commit.oid for e in entries if e.last_commit}
    assert last["dir"] == last["dir/a.txt"] == first.oid and last["b.txt"] == second.oid
    old = space_hub.repos.files.tree(None, REPO, first.oid, recursive=True)
    assert "b.txt" not in [e.path for e in old]
    read = space_hub.repos.files.read(None, REPO, first.oid[:10], "dir/a.txt")
    assert (read.commit_oid, read.content) == (first.oid, b"a")
    assert space_hub.repos.files.read(None, REPO, "main", "nope").content is None
