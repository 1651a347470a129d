"""Uploads, deletions and downloads driven by the real client (regular files only)."""

from __future__ import annotations

import hashlib

import pytest

from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

SPACE = "fakeuser/demo"
APP = "import gradio as gr\n\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"


@pytest.fixture
def space(hf: ClientWorker) -> str:
    hf.call("create_repo", SPACE, repo_type="space", space_sdk="gradio")
    return SPACE


def _error(fn: object, *args: object, **kwargs: object) -> ClientError:
    with pytest.raises(ClientError) as caught:
        fn(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def _upload(hf: ClientWorker, path: str, content: str | bytes, **kwargs: object) -> object:
    data = content.encode() if isinstance(content, str) else content
    return hf.exec(
        "result = api.upload_file(path_or_fileobj=bytes(data), path_in_repo=path, "
        "repo_id=repo, repo_type='space', **kwargs)",
        data=list(data),
        path=path,
        repo=SPACE,
        kwargs=kwargs,
    )


def test_upload_file_commits_and_starts_a_build(
    hf: ClientWorker, live: ServerThread, space: str
) -> None:
    before = hf.call("space_info", space)["sha"]
    commit = hf.exec(
        "c = api.upload_file(path_or_fileobj=data.encode(), path_in_repo='app.py', "
        "repo_id=repo, repo_type='space'); result = [c.oid, c.commit_url]",
        data=APP,
        repo=space,
    )
    oid, url = commit
    assert url == f"{live.url}/spaces/{space}/commit/{oid}"
    info = hf.call("space_info", space)
    assert info["sha"] == oid != before
    assert "app.py" in [s["rfilename"] for s in info["siblings"]]
    assert info["runtime"]["stage"] == "BUILDING"
    stored = live.hub.space_store.get(space)
    assert stored is not None and stored.files["app.py"] == APP.encode()
    assert stored.commits[-1].title == "Upload app.py with huggingface_hub"


def test_download_and_file_exists(hf: ClientWorker, space: str) -> None:
    _upload(hf, "src/app.py", APP)
    path = hf.exec(
        "from huggingface_hub import hf_hub_download\n"
        "result = open(hf_hub_download(repo, 'src/app.py', repo_type='space')).read()",
        repo=space,
    )
    assert path == APP
    assert hf.call("file_exists", space, "src/app.py", repo_type="space") is True
    assert hf.call("file_exists", space, "missing.py", repo_type="space") is False
    error = _error(
        hf.exec,
        "from huggingface_hub import hf_hub_download\n"
        "result = hf_hub_download(repo, 'missing.py', repo_type='space')",
        repo=space,
    )
    assert error.is_a("EntryNotFoundError") or error.is_a("RemoteEntryNotFoundError")


def test_list_repo_files_and_tree(hf: ClientWorker, space: str) -> None:
    _upload(hf, "utils/helpers.py", "x = 1\n")
    files = hf.call("list_repo_files", space, repo_type="space")
    assert files == [".gitattributes", "README.md", "utils/helpers.py"]
    tree = hf.exec(
        "result = [(type(e).__name__, e.path) for e in api.list_repo_tree(repo, repo_type='space')]",
        repo=space,
    )
    assert tree == [
        ["RepoFile", ".gitattributes"],
        ["RepoFile", "README.md"],
        ["RepoFolder", "utils"],
    ]


def test_upload_folder_with_delete_patterns(hf: ClientWorker, space: str) -> None:
    _upload(hf, "old.txt", "old\n")
    result = hf.exec(
        """
import os, tempfile
folder = tempfile.mkdtemp()
os.makedirs(os.path.join(folder, "utils"))
for name, text in files.items():
    with open(os.path.join(folder, name), "w") as f:
        f.write(text)
api.upload_folder(folder_path=folder, repo_id=repo, repo_type="space", delete_patterns=["*.txt"])
result = api.list_repo_files(repo, repo_type="space")
""",
        repo=space,
        files={"app.py": APP, "requirements.txt": "gradio\n", "utils/helpers.py": "y = 2\n"},
    )
    assert result == [
        ".gitattributes",
        "README.md",
        "app.py",
        "requirements.txt",
        "utils/helpers.py",
    ]


def test_create_commit_and_parent_commit_conflict(hf: ClientWorker, space: str) -> None:
    head = hf.call("space_info", space)["sha"]
    code = """
from huggingface_hub import CommitOperationAdd, CommitOperationDelete
ops = [CommitOperationAdd(path_in_repo=name, path_or_fileobj=name.encode()),
       CommitOperationDelete(path_in_repo="README.md")]
result = api.create_commit(repo, ops, commit_message="two files", repo_type="space",
                           parent_commit=parent).oid
"""
    first = hf.exec(code, repo=space, parent=head, name="a.txt")
    assert first != head
    error = _error(hf.exec, code, repo=space, parent=head, name="b.txt")  # head moved on
    assert error.status == 412
    assert "The branch was updated" in (error.server_message or "")
    assert hf.call("list_repo_files", space, repo_type="space") == [".gitattributes", "a.txt"]


def test_delete_file_and_missing_file(hf: ClientWorker, space: str) -> None:
    _upload(hf, "notes.md", "hello\n")
    hf.call("delete_file", "notes.md", space, repo_type="space")
    assert "notes.md" not in hf.call("list_repo_files", space, repo_type="space")
    error = _error(hf.call, "delete_file", "notes.md", space, repo_type="space")
    assert error.is_a("EntryNotFoundError") or error.is_a("RemoteEntryNotFoundError")


def test_binary_files_are_stored_once(hf: ClientWorker, live: ServerThread, space: str) -> None:
    data = b"\x00\x01binary" * 100
    hf.exec("hf.constants.HF_HUB_DISABLE_XET = True") if hf.major >= 1 else None
    try:
        _upload(hf, "model.bin", data)
        _upload(hf, "copy/model.bin", data)
    finally:
        hf.exec("hf.constants.HF_HUB_DISABLE_XET = False") if hf.major >= 1 else None
    stored = live.hub.space_store.get(space)
    assert stored is not None
    assert stored.files["model.bin"] == stored.files["copy/model.bin"]
    sha = hashlib.sha256(data).hexdigest()
    objects = live.hub.storage.summary()["objects"]
    assert isinstance(objects, dict)
    if hf.label == "0.36.2":  # it offers Xet in the batch request, and the fake picks it
        assert stored.objects[sha].xet_hash is not None
    else:  # the other versions upload through LFS here (HF_HUB_DISABLE_XET)
        assert objects[f"sha256:{sha}"] == len(data)
    got = hf.exec(
        "result = list(open(hf.hf_hub_download(repo, 'copy/model.bin', repo_type='space'), "
        "'rb').read())",
        repo=space,
    )
    assert bytes(got) == data


def test_pull_requests_are_refused(hf: ClientWorker, space: str) -> None:
    error = _error(_upload, hf, "app.py", APP, create_pr=True)
    assert error.is_a("BadRequestError")
    assert "Pull requests" in (error.server_message or "")


def test_readme_upload_changes_the_card(hf: ClientWorker, space: str) -> None:
    readme = "---\ntitle: Mine\nsdk: gradio\napp_file: main.py\ntags: [demo]\n---\n# Hi\n"
    _upload(hf, "README.md", readme)
    info = hf.call("space_info", space)
    assert "demo" in info["tags"]
    card = hf.exec("result = api.space_info(repo).card_data.to_dict()", repo=space)
    assert card["app_file"] == "main.py"


@pytest.mark.clients("0.36.2", "1.28.0", "2.4.0")
def test_invalid_readme_is_refused_by_validate_yaml(hf: ClientWorker, space: str) -> None:
    error = _error(_upload, hf, "README.md", "---\nsdk: [unclosed\n---\n")
    assert "Invalid metadata in README.md" in error.message


@pytest.mark.clients("0.36.2", "1.28.0", "2.4.0")
def test_unchanged_upload_makes_no_commit(hf: ClientWorker, space: str) -> None:
    first = _upload(hf, "app.py", APP)
    head = hf.call("space_info", space)["sha"]
    _upload(hf, "app.py", APP)
    assert hf.call("space_info", space)["sha"] == head
    assert first is not None


def test_read_token_cannot_upload(hf: ClientWorker, space: str) -> None:
    error = _error(
        hf.exec,
        "result = HfApi(token='hf_fake_read').upload_file(path_or_fileobj=b'x', "
        "path_in_repo='x.txt', repo_id=repo, repo_type='space')",
        repo=space,
    )
    assert error.status == 403
