"""Routes the npm client needs, over HTTP: ``HEAD`` as a revision, ``Range`` on downloads,
``raw``, files in a create request, the commit history, and the job events stream."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.config import DEFAULT_WRITE_TOKEN
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.server import ServerThread
from tests.conftest import READ
from tests.openapi import assert_matches_openapi

BASE = "/api/spaces/fakeuser/demo"
FILES = "/spaces/fakeuser/demo"
APP = b"import gradio as gr\n"


def _create(api: TestClient, name: str = "demo", **extra: Any) -> Any:
    body = {"name": name, "type": "space", "sdk": "gradio", **extra}
    return api.post("/api/repos/create", json=body)


def _commit(
    api: TestClient, path: str, data: bytes, revision: str = "main", title: str = "msg"
) -> str:
    lines = [
        {"key": "header", "value": {"summary": title, "description": f"about {path}"}},
        {
            "key": "file",
            "value": {
                "path": path,
                "encoding": "base64",
                "content": base64.b64encode(data).decode(),
            },
        },
    ]
    response = api.post(
        f"{BASE}/commit/{revision}",
        content="\n".join(json.dumps(line) for line in lines).encode(),  # no final newline (npm)
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    oid: str = response.json()["commitOid"]
    return oid


@pytest.fixture
def space(api: TestClient) -> str:
    assert _create(api).status_code == 200
    return _commit(api, "app.py", APP)


# -- HEAD as a revision ---------------------------------------------------------------------------


def test_head_names_the_default_branch_everywhere(api: TestClient, space: str) -> None:
    assert api.get(f"{BASE}/revision/HEAD").json()["sha"] == space
    tree = api.get(f"{BASE}/tree/HEAD").json()
    assert "app.py" in [entry["path"] for entry in tree]
    info = api.post(f"{BASE}/paths-info/HEAD", data={"paths": ["app.py"]}).json()
    assert [entry["path"] for entry in info] == ["app.py"]
    download = api.get(f"{FILES}/resolve/HEAD/app.py")
    assert download.content == APP and download.headers["x-repo-commit"] == space
    assert api.get(f"{BASE}/commits/HEAD").json()[0]["id"] == space
    upload = api.post(
        f"{BASE}/preupload/HEAD", json={"files": [{"path": "a.py", "size": 1, "sample": "eA=="}]}
    )
    assert upload.status_code == 200 and upload.json()["commitOid"] == space
    newer = _commit(api, "b.py", b"b\n", revision="HEAD")
    assert api.get(f"{BASE}/revision/HEAD").json()["sha"] == newer != space


def test_unknown_revision_names_head_as_an_alias(api: TestClient, space: str) -> None:
    response = api.get(f"{BASE}/revision/head")  # case matters, as in git
    assert response.status_code == 404
    assert response.headers["x-error-code"] == "RevisionNotFound"
    assert "'HEAD'" in response.json()["error"]


# -- Range and raw ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["resolve", "raw"])
def test_range_probe_answers_206_with_the_size(api: TestClient, space: str, route: str) -> None:
    response = api.get(f"{FILES}/{route}/main/app.py", headers={"Range": "bytes=0-0"})
    assert response.status_code == 206
    assert response.content == APP[:1]
    assert response.headers["content-range"] == f"bytes 0-0/{len(APP)}"
    assert response.headers["content-length"] == "1"
    assert response.headers["x-repo-commit"] == space
    assert response.headers["etag"].strip('"') == api.get(f"{FILES}/{route}/main/app.py").headers[
        "etag"
    ].strip('"')


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=3-", 3, len(APP) - 1), ("bytes=-4", len(APP) - 4, len(APP) - 1),
     ("bytes=2-5", 2, 5), ("bytes=5-999", 5, len(APP) - 1), ("bytes=-999", 0, len(APP) - 1)],
)  # fmt: skip
def test_range_forms(api: TestClient, space: str, header: str, first: int, last: int) -> None:
    response = api.get(f"{FILES}/resolve/main/app.py", headers={"Range": header})
    assert response.status_code == 206
    assert response.content == APP[first : last + 1]
    assert response.headers["content-range"] == f"bytes {first}-{last}/{len(APP)}"


def test_unsatisfiable_range_is_a_416_with_the_length(api: TestClient, space: str) -> None:
    response = api.get(f"{FILES}/resolve/main/app.py", headers={"Range": f"bytes={len(APP)}-"})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(APP)}"
    assert "not satisfiable" in response.json()["error"]
    assert "not satisfiable" in response.headers["x-error-message"]
    _commit(api, "empty.txt", b"")
    empty = api.get(f"{FILES}/resolve/main/empty.txt", headers={"Range": "bytes=0-0"})
    assert empty.status_code == 416 and empty.headers["content-range"] == "bytes */0"
    assert api.get(f"{FILES}/resolve/main/empty.txt").status_code == 200


def test_ranges_fakehub_answers_whole_or_refuses(api: TestClient, space: str) -> None:
    url = f"{FILES}/resolve/main/app.py"
    for ignored in ("bytes=0-1,4-5", "items=0-1"):
        whole = api.get(url, headers={"Range": ignored})
        assert whole.status_code == 200 and whole.content == APP, ignored
    for malformed in ("bytes=x-1", "bytes=-", "bytes=5-2"):
        refused = api.get(url, headers={"Range": malformed})
        assert refused.status_code == 400 and "Range" in refused.json()["error"], malformed


def test_head_tells_the_whole_size_even_with_a_range(api: TestClient, space: str) -> None:
    for route in ("resolve", "raw"):
        response = api.head(f"{FILES}/{route}/main/app.py", headers={"Range": "bytes=0-0"})
        assert response.status_code == 200 and response.content == b""
        assert response.headers["content-length"] == str(len(APP))
        assert response.headers["accept-ranges"] == "bytes"
        assert response.headers["x-repo-commit"] == space


def test_raw_missing_file_and_disposition(api: TestClient, space: str) -> None:
    missing = api.head(f"{FILES}/raw/main/nope.py")
    assert missing.status_code == 404 and missing.headers["x-error-code"] == "EntryNotFound"
    assert missing.headers["x-repo-commit"] == space
    assert api.get(f"{FILES}/raw/main/app.py").headers["content-disposition"].startswith("inline")
    bare = api.get(f"{FILES}/raw/main/app.py?noContentDisposition=1")
    assert "content-disposition" not in bare.headers and bare.content == APP
    unknown = api.get("/spaces/fakeuser/other/raw/main/app.py")
    assert unknown.status_code == 404 and unknown.headers["x-error-code"] == "RepoNotFound"


# -- files in a create request --------------------------------------------------------------------


def test_create_commits_the_files_in_the_first_commit(api: TestClient, hub: FakeHub) -> None:
    files = [
        {"path": "app.py", "content": base64.b64encode(APP).decode(), "encoding": "base64"},
        {"path": "src/util.py", "content": "x = 1\n"},  # utf-8 is the default encoding
    ]
    created = _create(api, files=files)
    assert created.status_code == 200
    assert_matches_openapi("/api/repos/create", "post", 200, created.json())
    history = api.get(f"{BASE}/commits/main").json()
    assert len(history) == 1 and history[0]["title"] == "initial commit"
    tree = [entry["path"] for entry in api.get(f"{BASE}/tree/main?recursive=true").json()]
    assert tree == [".gitattributes", "README.md", "app.py", "src", "src/util.py"]
    assert api.get(f"{FILES}/resolve/main/src/util.py").content == b"x = 1\n"
    assert api.get(BASE).json()["runtime"]["stage"] == "BUILDING"  # not NO_APP_FILE


def test_create_with_a_readme_takes_its_sdk(api: TestClient) -> None:
    readme = "---\ntitle: Demo\nsdk: docker\napp_port: 7860\n---\n"
    files = [
        {"path": "README.md", "content": readme},
        {"path": "Dockerfile", "content": "FROM python\n"},
    ]
    assert _create(api, files=files).status_code == 200
    info = api.get(BASE).json()
    assert info["sdk"] == "docker"
    assert api.get(f"{FILES}/resolve/main/README.md").text == readme


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([{"path": "a.bin", "content": "AAEC", "encoding": "base64"}], "needs LFS/Xet"),
        (
            [{"path": "a.py", "content": "%%%", "encoding": "base64"}],
            "files[0] content: not valid base64",
        ),
        ([{"path": "../a.py", "content": "x"}], "path"),
        ([{"path": "README.md/x", "content": "x"}], "is a file"),
        ([{"path": "a.py", "content": "x", "encoding": "latin-1"}], "unknown encoding"),
        ([{"path": "a.py"}], "content"),
    ],
)
def test_create_with_bad_files_is_refused_and_changes_nothing(
    api: TestClient, hub: FakeHub, files: list[dict[str, Any]], message: str
) -> None:
    ids_before = hub.ctx.ids._rng.getstate()
    response = _create(api, files=files)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]
    assert api.get(BASE).status_code == 404
    assert hub.ctx.ids._rng.getstate() == ids_before  # the seeded ids did not move


def test_create_of_another_repo_type_with_files_is_a_501(api: TestClient) -> None:
    response = api.post(
        "/api/repos/create",
        json={"name": "m", "type": "model", "files": [{"path": "a", "content": "x"}]},
    )
    assert response.status_code == 501


# -- commit history -------------------------------------------------------------------------------


def test_commits_newest_first_with_the_hub_keys(api: TestClient, space: str) -> None:
    response = api.get(f"{BASE}/commits/main")
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "2" and "link" not in response.headers
    assert_matches_openapi(
        "/api/spaces/{namespace}/{repo}/commits/{rev}", "get", 200, response.json()
    )
    newest, initial = response.json()
    assert newest == {
        "id": space,
        "title": "msg",
        "message": "about app.py",
        "authors": [{"user": "fakeuser", "avatar": "/avatars/fakeuser.svg"}],
        "date": "2026-01-01T00:00:00.000Z",
    }
    assert initial["title"] == "initial commit"
    at_initial = api.get(f"{BASE}/commits/{initial['id'][:7]}").json()
    assert [c["id"] for c in at_initial] == [initial["id"]]


def test_commits_paginate_with_p_limit_and_link(api: TestClient, space: str) -> None:
    for n in range(3):
        _commit(api, f"f{n}.txt", b"%d\n" % n, title=f"commit {n}")
    ids = [c["id"] for c in api.get(f"{BASE}/commits/main").json()]
    assert len(ids) == 5
    first = api.get(f"{BASE}/commits/main?limit=2")
    assert [c["id"] for c in first.json()] == ids[:2]
    assert first.headers["x-total-count"] == "5"
    assert first.headers["link"] == f'<http://fake.test{BASE}/commits/main?p=1&limit=2>; rel="next"'
    second = api.get(f"{BASE}/commits/main?p=1&limit=2")
    assert [c["id"] for c in second.json()] == ids[2:4]
    last = api.get(f"{BASE}/commits/main?p=2&limit=2")
    assert [c["id"] for c in last.json()] == ids[4:] and "link" not in last.headers
    assert api.get(f"{BASE}/commits/main?p=9").json() == []


def test_commits_formatted_and_bad_queries(api: TestClient, space: str) -> None:
    _commit(api, "x.txt", b"x", title="<b>bold</b> & co")
    page = api.get(f"{BASE}/commits/main", params={"expand[]": "formatted"}).json()
    assert_matches_openapi("/api/spaces/{namespace}/{repo}/commits/{rev}", "get", 200, page)
    newest = page[0]
    assert newest["formatted"] == {
        "title": "&lt;b&gt;bold&lt;/b&gt; &amp; co",
        "message": "about x.txt",
    }
    assert "formatted" in api.get(f"{BASE}/commits/main?expand=formatted").json()[0]
    for query, name in [("p=-1", "p"), ("p=x", "p"), ("limit=0", "limit"), ("limit=1001", "limit"),
                        ("expand=authors", "expand")]:  # fmt: skip
        response = api.get(f"{BASE}/commits/main?{query}")
        assert response.status_code == 400 and response.json()["error"].startswith(name), query
    missing = api.get(f"{BASE}/commits/nope")
    assert missing.status_code == 404 and missing.headers["x-error-code"] == "RevisionNotFound"


def test_commits_of_a_private_space_need_access(api: TestClient) -> None:
    assert _create(api, "secret", private=True).status_code == 200
    assert api.get("/api/spaces/fakeuser/secret/commits/main").status_code == 200
    hidden = api.get("/api/spaces/fakeuser/secret/commits/main", headers={"authorization": ""})
    assert hidden.status_code == 404 and hidden.headers["x-error-code"] == "RepoNotFound"
    assert api.get("/api/spaces/fakeuser/secret/commits/main", headers=READ).status_code == 200


# -- job events -----------------------------------------------------------------------------------

SPEC = {"command": ["python", "-c", "1"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}


def _events(api: TestClient, job_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/api/jobs/fakeuser/{job_id}/events")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    lines = response.text.split("\n")
    assert [line for line in lines if line.startswith("event:")] == ["event: status"] * len(
        [line for line in lines if line.startswith("data: ")]
    )
    return [json.loads(line[len("data: ") :]) for line in lines if line.startswith("data: ")]


def test_events_replay_every_stage_then_close(api: TestClient, hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome(seconds=20))
    job_id = api.post("/api/jobs/fakeuser", json=SPEC).json()["id"]
    hub.advance(60)
    events = _events(api, job_id)
    assert [e["status"]["stage"] for e in events] == ["SCHEDULING", "RUNNING", "COMPLETED"]
    assert events[0] == {
        "timestamp": "2026-01-01T00:00:00.000Z",
        "status": {"stage": "SCHEDULING", "message": None},
    }
    assert events[1]["timestamp"] < events[2]["timestamp"]
    assert _events(api, job_id) == events  # replayed identically


def test_events_of_a_retried_and_a_failed_job(api: TestClient, hub: FakeHub) -> None:
    hub.jobs.queue_outcomes(JobOutcome.of(exit_code=1, seconds=5))
    job_id = api.post("/api/jobs/fakeuser", json={**SPEC, "attempts": 2}).json()["id"]
    hub.advance(120)
    statuses = [e["status"] for e in _events(api, job_id)]
    assert [s["stage"] for s in statuses] == [
        "SCHEDULING",
        "RUNNING",
        "SCHEDULING",
        "RUNNING",
        "ERROR",
    ]
    assert statuses[2] == {
        "stage": "SCHEDULING",
        "message": "Retrying: attempt 2 of 2",
        "failureCount": 1,
    }
    assert statuses[-1]["failureCount"] == 2 and statuses[-1]["message"]


def test_events_follow_a_running_job_until_canceled(api: TestClient, hub: FakeHub) -> None:
    job_id = api.post("/api/jobs/fakeuser", json=SPEC).json()["id"]
    hub.advance(10)
    with api.stream("GET", f"/api/jobs/fakeuser/{job_id}/events") as stream:
        lines = stream.iter_lines()
        seen = []
        while len(seen) < 2:
            line = next(lines)
            if line.startswith("data: "):
                seen.append(json.loads(line[6:])["status"]["stage"])
        assert seen == ["SCHEDULING", "RUNNING"]
        assert api.post(f"/api/jobs/fakeuser/{job_id}/cancel").status_code == 200
        rest = [
            json.loads(line[6:])["status"]["stage"] for line in lines if line.startswith("data: ")
        ]
    assert rest == ["CANCELED"]


def test_events_of_an_unknown_or_hidden_job(api: TestClient) -> None:
    missing = api.get("/api/jobs/fakeuser/0123456789abcdef01234567/events")
    assert missing.status_code == 404 and missing.json() == {"error": "Job not found"}
    job_id = api.post("/api/jobs/fakeuser", json=SPEC).json()["id"]
    anonymous = api.get(f"/api/jobs/fakeuser/{job_id}/events", headers={"authorization": ""})
    assert anonymous.status_code == 401


def test_a_stream_ends_cleanly_when_its_job_goes_away(live: ServerThread) -> None:
    """A client that stops reading leaves its stream open; a reset must end it, not crash it
    (the ``live`` fixture fails the test on any exception inside the server)."""
    headers = {"authorization": f"Bearer {DEFAULT_WRITE_TOKEN}"}
    with httpx.Client(base_url=live.url, headers=headers, timeout=10) as client:
        for route in ("events", "logs", "metrics"):
            job_id = client.post("/api/jobs/fakeuser", json=SPEC).json()["id"]
            live.hub.advance(10)
            with client.stream("GET", f"/api/jobs/fakeuser/{job_id}/{route}") as stream:
                lines = stream.iter_lines()
                assert next(lines).startswith(("data: ", "event: ")), route
                live.hub.reset(HubConfig())
                rest = list(lines)  # ends: the job is gone
            assert not any("error" in line for line in rest), route
            assert not live.app.state.server_errors, route
