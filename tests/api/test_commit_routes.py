"""File routes over HTTP: preupload, commit, validate-yaml, tree, paths-info, resolve, LFS/Xet."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.domain.spaces.tree import blob_id
from tests.conftest import READ, WRITE
from tests.openapi import assert_matches_openapi

ENDPOINT = "http://fake.test"
BASE = "/api/spaces/fakeuser/demo"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _ndjson(*lines: dict[str, Any]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def _header(summary: str = "msg", **extra: Any) -> dict[str, Any]:
    return {"key": "header", "value": {"summary": summary, "description": "", **extra}}


def _file(path: str, data: bytes) -> dict[str, Any]:
    return {"key": "file", "value": {"content": _b64(data), "path": path, "encoding": "base64"}}


def _commit(api: TestClient, *lines: dict[str, Any], query: str = "") -> Any:
    return api.post(
        f"{BASE}/commit/main{query}",
        content=_ndjson(*lines),
        headers={"content-type": "application/x-ndjson"},
    )


@pytest.fixture
def space(api: TestClient) -> str:
    response = api.post(
        "/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"}
    )
    assert response.status_code == 200
    sha: str = api.get(BASE).json()["sha"]
    return sha


def test_preupload_answers_every_path(api: TestClient, space: str) -> None:
    _commit(api, _header(), _file("app.py", b"x = 1\n"))
    response = api.post(
        f"{BASE}/preupload/main",
        json={
            "files": [
                {"path": "app.py", "sample": _b64(b"x = 1\n"), "size": 6},
                {"path": "new.log", "sample": "", "size": 0},
            ],
            "gitIgnore": "*.log\n",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["files"] == [
        {
            "path": "app.py",
            "uploadMode": "regular",
            "shouldIgnore": False,
            "oid": blob_id(b"x = 1\n"),
        },
        {"path": "new.log", "uploadMode": "regular", "shouldIgnore": True},
    ]
    assert body["commitOid"] == api.get(BASE).json()["sha"]
    assert_matches_openapi("/api/spaces/{namespace}/{repo}/preupload/{rev}", "post", 200, body)


def test_preupload_answers_lfs_and_refuses_pull_requests(api: TestClient, space: str) -> None:
    lfs = api.post(
        f"{BASE}/preupload/main", json={"files": [{"path": "m.bin", "sample": "", "size": 9}]}
    )
    assert lfs.status_code == 200
    assert lfs.json()["files"] == [{"path": "m.bin", "uploadMode": "lfs", "shouldIgnore": False}]
    pr = api.post(f"{BASE}/preupload/main?create_pr=1", json={"files": []})
    assert pr.status_code == 400 and "Pull requests" in pr.json()["error"]
    bad = api.post(f"{BASE}/preupload/main", json={"files": [{"path": "a", "size": 1}]})
    assert bad.status_code == 400 and "sample" in bad.json()["error"]
    unknown = api.post("/api/spaces/fakeuser/nope/preupload/main", json={"files": []})
    assert unknown.status_code == 404 and unknown.headers["x-error-code"] == "RepoNotFound"
    branch = api.post(f"{BASE}/preupload/dev", json={"files": []})
    assert branch.status_code == 404 and branch.headers["x-error-code"] == "RevisionNotFound"


def test_commit_answers_like_the_hub(api: TestClient, space: str) -> None:
    response = _commit(api, _header(parentCommit=space), _file("app.py", b"print(1)\n"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"success", "commitOid", "commitUrl", "hookOutput"}
    assert body["success"] is True and body["hookOutput"] == ""
    assert body["commitUrl"] == f"{ENDPOINT}/spaces/fakeuser/demo/commit/{body['commitOid']}"
    assert_matches_openapi("/api/spaces/{namespace}/{repo}/commit/{rev}", "post", 200, body)
    assert api.get(BASE).json()["sha"] == body["commitOid"]
    assert api.get(f"{BASE}/runtime").json()["stage"] == "BUILDING"


def test_header_only_commit_returns_the_head(api: TestClient, space: str) -> None:
    response = _commit(api, _header())
    assert response.status_code == 200 and response.json()["commitOid"] == space


@pytest.mark.parametrize(
    ("lines", "status", "message"),
    [
        ([_file("a.txt", b"a")], 400, "the first line must be the header"),
        ([_header(), _header()], 400, "the header must be the first line"),
        ([_header(summary="")], 400, "commit message cannot be empty"),
        ([_header(parentCommit="xyz")], 400, "parentCommit must be 5 to 40 hex"),
        ([_header(), {"key": "rename", "value": {}}], 400, "unknown key 'rename'"),
        (
            [
                _header(),
                {"key": "file", "value": {"path": "a", "content": "!", "encoding": "base64"}},
            ],
            400,
            "not valid base64",
        ),
        (
            [
                _header(),
                {"key": "lfsFile", "value": {"path": "m.bin", "algo": "sha256", "oid": "0"}},
            ],
            400,
            "oid",
        ),
        (
            [
                _header(),
                {
                    "key": "lfsFile",
                    "value": {"path": "m.bin", "algo": "sha256", "oid": "a" * 64, "size": 3},
                },
            ],
            400,
            f"LFS object {'a' * 64} was never uploaded",
        ),
        (
            [_header(), _file("m.bin", b"\x00\x01")],
            400,
            "needs LFS/Xet storage",
        ),
        ([_header(), {"key": "deletedFile", "value": {"path": "nope"}}], 404, "doesn't exist"),
        ([_header(parentCommit="0" * 40)], 412, "The branch was updated"),
    ],
)
def test_commit_refusals_change_nothing(
    api: TestClient, space: str, lines: list[dict[str, Any]], status: int, message: str
) -> None:
    response = _commit(api, *lines)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert api.get(BASE).json()["sha"] == space


def test_commit_refusal_headers(api: TestClient, space: str) -> None:
    missing = _commit(api, _header(), {"key": "deletedFile", "value": {"path": "nope"}})
    assert missing.headers["x-error-code"] == "EntryNotFound"
    pr = _commit(api, _header(), query="?create_pr=1")
    assert pr.status_code == 400 and "Pull requests" in pr.json()["error"]
    read = api.post(f"{BASE}/commit/main", content=_ndjson(_header()), headers=READ)
    assert read.status_code == 403
    hot = _commit(api, _header(), _file("app.py", b"x\n"), query="?hot_reload=1")
    assert hot.status_code == 200


def test_body_size_limit_is_413() -> None:
    hub = FakeHub(HubConfig(max_body_bytes=1000))
    with TestClient(create_app(hub), base_url=ENDPOINT, headers=WRITE) as api:
        api.post("/api/repos/create", json={"name": "demo", "type": "space", "sdk": "static"})
        response = _commit(api, _header(), _file("big.txt", b"x" * 2000))
        assert response.status_code == 413
        assert len(api.get(BASE).json()["siblings"]) == 4


def test_validate_yaml(api: TestClient) -> None:
    ok = api.post(
        "/api/validate-yaml", json={"content": "---\nsdk: gradio\n---\n", "repoType": "space"}
    )
    assert ok.status_code == 200 and ok.json() == {"errors": [], "warnings": []}
    bad = api.post(
        "/api/validate-yaml", json={"content": "---\nsdk: flask\n---\n", "repoType": "space"}
    )
    assert bad.status_code == 400 and "flask" in bad.json()["errors"][0]["message"]
    form = api.post(
        "/api/validate-yaml",
        content=b"repoType=space&content=---%0Asdk%3A+%5B%0A---%0A",
        headers={"content-type": "application/x-www-form-urlencoded", "authorization": ""},
    )
    assert form.status_code == 400 and "Invalid YAML" in form.json()["errors"][0]["message"]
    assert api.post("/api/validate-yaml", json={"repoType": "space"}).status_code == 400


def test_tree_paths_and_pagination(api: TestClient, space: str) -> None:
    _commit(api, _header(), _file("a/b/c.txt", b"c"), _file("a/d.txt", b"dd"))
    top = api.get(f"{BASE}/tree/main?recursive=False&expand=False").json()
    assert [(e["type"], e["path"]) for e in top] == [
        ("file", ".gitattributes"),
        ("file", "README.md"),
        ("directory", "a"),
    ]
    sub = api.get(f"{BASE}/tree/main/a%2Fb?recursive=true&expand=true").json()
    assert [e["path"] for e in sub] == ["a/b/c.txt"]
    assert set(sub[0]) == {"type", "oid", "size", "path", "lastCommit"}
    assert sub[0]["oid"] == blob_id(b"c") and sub[0]["size"] == 1
    missing = api.get(f"{BASE}/tree/main/zzz")
    assert missing.status_code == 404 and missing.headers["x-error-code"] == "EntryNotFound"
    old = api.get(f"{BASE}/tree/{space}?recursive=true").json()
    assert [e["path"] for e in old] == [".gitattributes", "README.md"]


def test_tree_link_pagination(api: TestClient, space: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from fakehub.api import commits

    _commit(api, _header(), *(_file(f"f{i:02d}.txt", b"x") for i in range(12)))
    monkeypatch.setattr(commits, "TREE_PAGE", 5)
    response = api.get(f"{BASE}/tree/main?recursive=true&expand=false")
    paths = [e["path"] for e in response.json()]
    while "link" in response.headers:
        link = response.headers["link"]
        assert "recursive=true" in link
        response = api.get(link[1 : link.index(">")])
        paths += [e["path"] for e in response.json()]
    assert len(paths) == 14 and len(set(paths)) == 14


def test_paths_info_form_and_json(api: TestClient, space: str) -> None:
    _commit(api, _header(), _file("dir/x.txt", b"x"))
    form = api.post(
        f"{BASE}/paths-info/main",
        content=b"paths=dir%2Fx.txt&paths=missing&paths=dir&expand=False",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert [(e["type"], e["path"]) for e in form.json()] == [
        ("file", "dir/x.txt"),
        ("directory", "dir"),
    ]
    as_json = api.post(f"{BASE}/paths-info/main", json={"paths": "dir/x.txt", "expand": True})
    assert as_json.json()[0]["lastCommit"]["title"] == "msg"
    assert_matches_openapi(
        "/api/spaces/{namespace}/{repo}/paths-info/{rev}", "post", 200, as_json.json()
    )


def test_resolve_head_and_get(api: TestClient, space: str) -> None:
    content = "héllo wörld\n".encode()
    head = _commit(api, _header(), _file("dir with space/f #1.txt", content)).json()["commitOid"]
    url = "/spaces/fakeuser/demo/resolve/main/dir%20with%20space/f%20%231.txt"
    answer = api.head(url)
    assert answer.status_code == 200 and answer.content == b""
    assert answer.headers["x-repo-commit"] == head
    assert answer.headers["etag"] == f'"{blob_id(content)}"'
    assert answer.headers["content-length"] == str(len(content))
    assert "x-xet-hash" not in answer.headers and "x-linked-etag" not in answer.headers
    got = api.get(url)
    assert got.content == content and got.headers["etag"] == answer.headers["etag"]
    by_sha = api.get(f"/spaces/fakeuser/demo/resolve/{space}/README.md")
    assert by_sha.status_code == 200 and by_sha.headers["x-repo-commit"] == space
    missing = api.head("/spaces/fakeuser/demo/resolve/main/nope.txt")
    assert missing.status_code == 404
    assert missing.headers["x-error-code"] == "EntryNotFound"
    assert missing.headers["x-repo-commit"] == head
    bad_rev = api.get("/spaces/fakeuser/demo/resolve/dev/README.md")
    assert bad_rev.headers["x-error-code"] == "RevisionNotFound"
    hidden = api.get("/spaces/fakeuser/nope/resolve/main/README.md")
    assert hidden.headers["x-error-code"] == "RepoNotFound"
