"""The real Python client on the routes the npm client also needs: the commit history
(``list_repo_commits``), ``HEAD`` as a revision, ``Range`` downloads and file metadata."""

from __future__ import annotations

import pytest

from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

SPACE = "fakeuser/demo"
APP = "import gradio as gr\n\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"


@pytest.fixture
def space(hf: ClientWorker) -> str:
    hf.call("create_repo", SPACE, repo_type="space", space_sdk="gradio")
    return SPACE


def _upload(hf: ClientWorker, path: str, content: str, message: str | None = None) -> str:
    oid: str = hf.exec(
        "result = api.upload_file(path_or_fileobj=content.encode(), path_in_repo=path, "
        "repo_id=repo, repo_type='space', commit_message=message).oid",
        content=content,
        path=path,
        repo=SPACE,
        message=message or f"Upload {path}",
    )
    return oid


def test_list_repo_commits_follows_the_pages(
    hf: ClientWorker, live: ServerThread, space: str
) -> None:
    oids = [_upload(hf, f"f{n}.txt", f"{n}\n", f"commit {n}") for n in range(60)]
    commits = hf.call("list_repo_commits", space, repo_type="space")
    assert [c["commit_id"] for c in commits[:60]] == oids[::-1]
    assert len(commits) == 61 and commits[-1]["title"] == "initial commit"
    assert commits[0]["title"] == "commit 59" and commits[0]["authors"] == ["fakeuser"]
    assert commits[0]["formatted_title"] is None
    pages = live.hub.request_log.find(method="GET", path=f"/api/spaces/{space}/commits/main")
    assert [(e.query, e.status) for e in pages] == [("", 200), ("p=1&limit=50", 200)]


def test_list_repo_commits_formatted_and_at_a_revision(hf: ClientWorker, space: str) -> None:
    first = _upload(hf, "app.py", APP, "Add <app>")
    _upload(hf, "b.txt", "b\n")
    formatted = hf.call("list_repo_commits", space, repo_type="space", formatted=True)
    assert formatted[1]["formatted_title"] == "Add &lt;app&gt;"
    at_first = hf.call("list_repo_commits", space, repo_type="space", revision=first)
    assert at_first[0]["commit_id"] == first and len(at_first) == 2
    at_head = hf.call("list_repo_commits", space, repo_type="space", revision="HEAD")
    assert len(at_head) == 3


def test_list_repo_commits_unknown_revision(hf: ClientWorker, space: str) -> None:
    with pytest.raises(ClientError) as caught:
        hf.call("list_repo_commits", space, repo_type="space", revision="nope")
    assert caught.value.is_a("RevisionNotFoundError")


def test_head_is_a_revision_for_reads(hf: ClientWorker, space: str) -> None:
    oid = _upload(hf, "app.py", APP)
    assert hf.call("space_info", space, revision="HEAD")["sha"] == oid
    assert "app.py" in hf.call("list_repo_files", space, repo_type="space", revision="HEAD")
    text = hf.exec(
        "from huggingface_hub import hf_hub_download\n"
        "result = open(hf_hub_download(repo, 'app.py', repo_type='space', revision='HEAD')).read()",
        repo=space,
    )
    assert text == APP
    assert hf.call("file_exists", space, "app.py", repo_type="space", revision="HEAD") is True


@pytest.mark.clients("0.36.2", "1.28.0", "2.4.0")  # get_hf_file_metadata(headers=) is 0.21+
def test_file_metadata_tells_the_whole_size_even_asked_with_a_range(
    hf: ClientWorker, live: ServerThread, space: str
) -> None:
    oid = _upload(hf, "app.py", APP)
    meta = hf.exec(
        "from huggingface_hub import get_hf_file_metadata, hf_hub_url\n"
        "url = hf_hub_url(repo, 'app.py', repo_type='space')\n"
        "m = get_hf_file_metadata(url, headers={'Range': 'bytes=0-0'})\n"
        "result = [m.commit_hash, m.etag, m.size]",
        repo=space,
    )
    assert meta[0] == oid and meta[2] == len(APP.encode())
    head = live.hub.request_log.find(method="HEAD", path=f"/spaces/{space}/resolve/main/app.py")
    assert [e.status for e in head] == [200]


@pytest.mark.parametrize("route", ["resolve", "raw"])
def test_a_broken_download_resumes_with_a_range(
    hf: ClientWorker, live: ServerThread, space: str, route: str
) -> None:
    """``http_get(resume_size=n)`` is what every version runs to finish an interrupted file."""
    _upload(hf, "app.py", APP)
    data = APP.encode()
    text = hf.exec(
        "import os, tempfile\n"
        "from huggingface_hub.file_download import http_get\n"
        "path = os.path.join(tempfile.mkdtemp(), 'app.py.incomplete')\n"
        "open(path, 'wb').write(bytes(head))\n"
        "with open(path, 'ab') as f:\n"
        "    http_get(url, f, resume_size=len(head), expected_size=size)\n"
        "result = open(path).read()",
        url=f"{live.url}/spaces/{space}/{route}/main/app.py",
        head=list(data[:10]),
        size=len(data),
    )
    assert text == APP
    gets = live.hub.request_log.find(method="GET", path=f"/spaces/{space}/{route}/main/app.py")
    assert [e.status for e in gets] == [206]


@pytest.mark.clients("0.20.3", "0.36.2")
def test_hf_hub_download_resumes_an_interrupted_file(
    hf: ClientWorker, live: ServerThread, space: str
) -> None:
    """0.x finish a ``<etag>.incomplete`` blob left in the cache with ``Range: bytes=n-`` (0.20.3
    when asked, ``resume_download=True``). 1.x/2.x download to a fresh temporary file each time
    and resume only within one call, from the last chunk written (10 MB): ``http_get`` above
    covers their Range code."""
    from fakehub.domain.spaces.tree import blob_id

    _upload(hf, "app.py", APP)
    data = APP.encode()
    text = hf.exec(
        "import os, tempfile\n"
        "from huggingface_hub import hf_hub_download\n"
        "cache = tempfile.mkdtemp()\n"
        "blobs = os.path.join(cache, 'spaces--fakeuser--demo', 'blobs')\n"
        "os.makedirs(blobs)\n"
        "open(os.path.join(blobs, etag + '.incomplete'), 'wb').write(bytes(head))\n"
        "extra = {'resume_download': True} if hf.__version__.startswith('0.20') else {}\n"
        "path = hf_hub_download(repo, 'app.py', repo_type='space', cache_dir=cache, **extra)\n"
        "result = open(path).read()",
        repo=space,
        etag=blob_id(data),
        head=list(data[:10]),
    )
    assert text == APP
    gets = live.hub.request_log.find(method="GET", path=f"/spaces/{space}/resolve/main/app.py")
    assert [e.status for e in gets] == [206]
