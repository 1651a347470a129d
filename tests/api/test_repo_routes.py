"""Repository routes over HTTP: exact bodies, status codes, headers, and the Hub's schema."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import READ
from tests.openapi import assert_matches_openapi

ENDPOINT = "http://fake.test"


def _create(api: TestClient, name: str = "demo", **body: Any) -> Any:
    payload = {"name": name, "organization": None, "type": "space", "sdk": "gradio", **body}
    return api.post("/api/repos/create", json=payload)


def test_create_answers_url_name_and_id(api: TestClient) -> None:
    response = _create(api, private=False)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"url", "name", "id"}
    assert body["url"] == f"{ENDPOINT}/spaces/fakeuser/demo"
    assert body["name"] == "fakeuser/demo"
    assert isinstance(body["id"], str) and len(body["id"]) == 24
    assert_matches_openapi("/api/repos/create", "post", 200, body)


def test_create_conflict_carries_the_url(api: TestClient) -> None:
    _create(api)
    response = _create(api, visibility="private")
    assert response.status_code == 409
    assert response.json() == {
        "error": "You already created this space repo",
        "url": f"{ENDPOINT}/spaces/fakeuser/demo",
    }
    assert_matches_openapi("/api/repos/create", "post", 409, response.json())


def test_create_url_follows_the_host_the_client_used(api: TestClient) -> None:
    response = api.post(
        "/api/repos/create",
        json={"name": "demo", "type": "space", "sdk": "static"},
        headers={"host": "127.0.0.1:4567"},
    )
    assert response.json()["url"] == "http://127.0.0.1:4567/spaces/fakeuser/demo"


def test_create_errors(api: TestClient) -> None:
    anonymous = api.post(
        "/api/repos/create",
        json={"name": "demo", "type": "space", "sdk": "gradio"},
        headers={"authorization": ""},
    )
    assert anonymous.status_code == 401
    read = api.post(
        "/api/repos/create", json={"name": "demo", "type": "space", "sdk": "gradio"}, headers=READ
    )
    assert read.status_code == 403 and "read-only" in read.headers["x-error-message"]
    both = _create(api, private=True, visibility="public")
    assert both.status_code == 400
    assert both.json()["error"].startswith("visibility: give either")
    wrong_type = _create(api, sleepTimeSeconds="soon")
    assert wrong_type.status_code == 400 and "sleepTimeSeconds" in wrong_type.json()["error"]
    model = api.post("/api/repos/create", json={"name": "m", "organization": None})
    assert model.status_code == 501 and "Spaces only" in model.json()["error"]
    template = _create(api, template="SpacesExamples/jupyterlab")
    assert template.status_code == 501 and "template" in template.json()["error"]
    assert api.get("/api/spaces/fakeuser/demo").status_code == 404


def test_delete_answers_plain_ok_then_repo_not_found(api: TestClient) -> None:
    _create(api)
    body = {"name": "demo", "organization": "fakeuser", "type": "space"}
    response = api.request("DELETE", "/api/repos/delete", json=body)
    assert response.status_code == 200 and response.text == "OK"
    assert response.headers["content-type"].startswith("text/plain")
    again = api.request("DELETE", "/api/repos/delete", json=body)
    assert again.status_code == 404 and again.headers["x-error-code"] == "RepoNotFound"


def test_move(api: TestClient) -> None:
    _create(api)
    response = api.post(
        "/api/repos/move",
        json={"fromRepo": "fakeuser/demo", "toRepo": "fakeorg/x", "type": "space"},
    )
    assert response.status_code == 200
    assert api.get("/api/spaces/fakeorg/x").json()["id"] == "fakeorg/x"
    model = api.post("/api/repos/move", json={"fromRepo": "fakeorg/x", "toRepo": "fakeorg/y"})
    assert model.status_code == 501


def test_space_info_shape(api: TestClient) -> None:
    _create(api)
    body = api.get("/api/spaces/fakeuser/demo").json()
    for key, kind in {
        "_id": str,
        "id": str,
        "author": str,
        "sha": str,
        "createdAt": str,
        "lastModified": str,
        "private": bool,
        "likes": int,
        "tags": list,
        "sdk": str,
        "host": str,
        "subdomain": str,
        "cardData": dict,
        "siblings": list,
        "runtime": dict,
    }.items():
        assert isinstance(body[key], kind), key
    assert body["createdAt"] == "2026-01-01T00:00:00.000Z"
    assert body["host"] == "https://fakeuser-demo.hf.space"
    assert body["siblings"] == [{"rfilename": ".gitattributes"}, {"rfilename": "README.md"}]
    assert body["runtime"]["stage"] == "NO_APP_FILE"
    assert body["tags"] == ["gradio", "region:us"]


def test_space_info_expand_blobs_and_revisions(api: TestClient) -> None:
    _create(api)
    expanded = api.get("/api/spaces/fakeuser/demo?expand=sdk&expand=xetEnabled").json()
    assert set(expanded) == {"_id", "id", "sdk", "xetEnabled"} and expanded["xetEnabled"] is True
    bad = api.get("/api/spaces/fakeuser/demo?expand=sdk&expand=downloads")
    assert bad.status_code == 400
    assert bad.json()["error"].startswith('✖ Invalid option: expected one of "author"|"cardData"|')
    assert bad.json()["error"].endswith('"xetEnabled"\n  → at expand[1]')
    blobs = api.get("/api/spaces/fakeuser/demo?blobs=True").json()["siblings"]
    assert all(set(s) == {"rfilename", "size", "blobId"} for s in blobs)
    sha = api.get("/api/spaces/fakeuser/demo").json()["sha"]
    assert api.get(f"/api/spaces/fakeuser/demo/revision/{sha}").json()["sha"] == sha
    assert api.get("/api/spaces/fakeuser/demo/revision/main").json()["sha"] == sha
    missing = api.get("/api/spaces/fakeuser/demo/revision/refs%2Fpr%2F1")
    assert missing.status_code == 404 and missing.headers["x-error-code"] == "RevisionNotFound"


def test_list_pagination_link_keeps_every_filter(api: TestClient) -> None:
    for index in range(5):
        _create(api, f"app-{index}")
    _create(api, "other", organization="fakeorg")
    first = api.get("/api/spaces?author=fakeuser&search=app&limit=2&sort=createdAt&direction=-1")
    assert [s["id"] for s in first.json()] == ["fakeuser/app-4", "fakeuser/app-3"]
    link = first.headers["link"]
    assert link.startswith(f"<{ENDPOINT}/api/spaces?") and link.endswith('>; rel="next"')
    ids: list[str] = [s["id"] for s in first.json()]
    url: str | None = link[1 : link.index(">")]
    while url:
        page = api.get(url)
        ids += [s["id"] for s in page.json()]
        next_link = page.headers.get("link")
        url = next_link[1 : next_link.index(">")] if next_link else None
    assert ids == [f"fakeuser/app-{i}" for i in (4, 3, 2, 1, 0)]
    compact = api.get("/api/spaces?limit=1").json()[0]
    assert {"id", "private", "likes", "tags"} <= set(compact) and "siblings" not in compact
    full = api.get("/api/spaces?limit=1&full=true").json()[0]
    assert "siblings" in full and "cardData" in full
    assert api.get("/api/spaces?limit=0").status_code == 400
    assert api.get("/api/spaces?direction=up").status_code == 400


def test_settings(api: TestClient) -> None:
    _create(api)
    response = api.put(
        "/api/spaces/fakeuser/demo/settings", json={"visibility": "protected", "gated": "auto"}
    )
    assert response.status_code == 200
    assert response.json() == {"private": True, "visibility": "protected", "gated": "auto"}
    assert_matches_openapi("/api/spaces/{namespace}/{repo}/settings", "put", 200, response.json())
    legacy = api.put("/api/spaces/fakeuser/demo/settings", json={"private": False, "gated": False})
    assert legacy.json() == {"private": False, "visibility": "public", "gated": False}
    bad = api.put("/api/spaces/fakeuser/demo/settings", json={"gated": "sometimes"})
    assert bad.status_code == 400
    read = api.put("/api/spaces/fakeuser/demo/settings", json={"private": True}, headers=READ)
    assert read.status_code == 403
    assert api.get("/api/spaces/fakeuser/demo").json()["private"] is False


def test_auth_check(api: TestClient) -> None:
    _create(api)
    assert api.get("/api/spaces/fakeuser/demo/auth-check").status_code == 200
    assert api.get("/api/spaces/fakeuser/demo/auth-check/write").status_code == 200
    read = api.get("/api/spaces/fakeuser/demo/auth-check/write", headers=READ)
    assert read.status_code == 403
    missing = api.get("/api/spaces/fakeuser/nope/auth-check")
    assert missing.status_code == 404 and missing.headers["x-error-code"] == "RepoNotFound"


def test_duplicate(api: TestClient) -> None:
    _create(api, visibility="private")
    response = api.post(
        "/api/spaces/fakeuser/demo/duplicate",
        json={"repository": "fakeorg/copy", "hardware": "cpu-basic", "sleepTimeSeconds": 100},
    )
    assert response.status_code == 200
    assert response.json() == {"url": f"{ENDPOINT}/spaces/fakeorg/copy", "filesCopyPending": False}
    assert api.get("/api/spaces/fakeorg/copy").json()["private"] is True
    again = api.post("/api/spaces/fakeuser/demo/duplicate", json={"repository": "fakeorg/copy"})
    assert again.status_code == 409 and again.json()["url"] == f"{ENDPOINT}/spaces/fakeorg/copy"
    for kind in ("models", "datasets"):
        other = api.post(f"/api/{kind}/fakeuser/demo/duplicate", json={"repository": "a/b"})
        assert other.status_code == 501 and "Spaces only" in other.json()["error"]
