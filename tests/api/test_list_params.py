"""List routes honour every filter they accept and refuse, by name, any they cannot.

``models`` / ``datasets`` / ``linked`` come from the Space's README card, as on the Hub.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub
from fakehub.domain.spaces.commits import AddFile
from fakehub.domain.spaces.files import CommitHeader
from fakehub.domain.spaces.options import SpaceOptions
from tests.space_factory import actor_for, add_space


def create_with_card(hub: FakeHub, name: str, front_matter: str = "") -> None:
    """A Space made as create_repo + upload_file make it, with this README front matter."""
    actor = actor_for(hub)
    hub.repos.create(
        actor,
        name=name,
        organization=None,
        sdk="gradio",
        visibility=None,
        options=SpaceOptions(),
        endpoint="http://fake.test",
    )
    readme = f"---\ntitle: T\nsdk: gradio\n{front_matter}---\n".encode()
    hub.repos.files.commit(
        actor, f"fakeuser/{name}", "main", CommitHeader("card"), [AddFile("README.md", readme)]
    )


@pytest.fixture
def linked(hub: FakeHub) -> FakeHub:
    create_with_card(hub, "asr", "models:\n- openai/whisper-small\n- Org/Other\n")
    create_with_card(hub, "qa", "models: openai/whisper-small\ndatasets: squad\n")
    create_with_card(hub, "data", "datasets:\n- squad\n- 42\n")
    create_with_card(hub, "plain")
    return hub


def _ids(api: TestClient, **params: object) -> list[str]:
    response = api.get("/api/spaces", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()]


def test_models_datasets_and_linked_filter_by_the_card(api: TestClient, linked: FakeHub) -> None:
    assert _ids(api, models="openai/whisper-small") == ["fakeuser/asr", "fakeuser/qa"]
    assert _ids(api, models="ORG/other") == ["fakeuser/asr"]  # ids compare case-insensitively
    assert _ids(api, datasets="squad") == ["fakeuser/qa", "fakeuser/data"]
    assert _ids(api, models="openai/whisper-small", datasets="squad") == ["fakeuser/qa"]
    assert _ids(api, models=["openai/whisper-small", "Org/Other"]) == ["fakeuser/asr"]
    assert _ids(api, linked=True) == ["fakeuser/asr", "fakeuser/qa", "fakeuser/data"]
    assert _ids(api, models="nobody/nothing") == []


def test_space_info_lists_the_linked_repos(api: TestClient, linked: FakeHub) -> None:
    info = api.get("/api/spaces/fakeuser/asr").json()
    assert (info["models"], info["datasets"]) == (["openai/whisper-small", "Org/Other"], [])
    info = api.get("/api/spaces/fakeuser/data").json()
    assert info["datasets"] == ["squad"]  # 42 is no repo id
    expanded = api.get("/api/spaces/fakeuser/qa", params={"expand": ["models", "datasets"]})
    assert expanded.json() == {
        "_id": expanded.json()["_id"],
        "id": "fakeuser/qa",
        "models": ["openai/whisper-small"],
        "datasets": ["squad"],
    }
    full = api.get("/api/spaces", params={"full": True, "models": "Org/Other"}).json()
    assert [item["models"] for item in full] == [["openai/whisper-small", "Org/Other"]]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/spaces", "pipeline_tag"),
        ("/api/spaces", "config"),
        ("/api/jobs/fakeuser", "limit"),
        ("/api/jobs/fakeuser/count", "label"),
        ("/api/scheduled-jobs/fakeuser", "stage"),
        ("/api/spaces/semantic-search?q=x&", "author"),
        ("/api/spaces/fakeuser/demo/tree/main", "path"),
    ],
)
def test_a_filter_fakehub_cannot_honour_is_a_400_naming_it(
    api: TestClient, hub: FakeHub, path: str, param: str
) -> None:
    add_space(hub)
    before = hub.dump()
    joiner = "" if path.endswith("&") else "?"
    response = api.get(f"{path}{joiner}{param}=x")
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"{param}: fakehub cannot honour")
    assert hub.dump() == before


def test_tree_honours_limit(api: TestClient, hub: FakeHub) -> None:
    actor = actor_for(hub)
    create_with_card(hub, "demo")
    files = [AddFile(f"f{i}.txt", b"x") for i in range(5)]
    hub.repos.files.commit(actor, "fakeuser/demo", "main", CommitHeader("files"), files)
    first = api.get("/api/spaces/fakeuser/demo/tree/main", params={"limit": 2})
    assert [e["path"] for e in first.json()] == [".gitattributes", "README.md"]
    assert "cursor=2" in first.headers["link"] and "limit=2" in first.headers["link"]
    second = api.get("/api/spaces/fakeuser/demo/tree/main", params={"limit": 2, "cursor": 2})
    assert [e["path"] for e in second.json()] == ["f0.txt", "f1.txt"]
    assert api.get("/api/spaces/fakeuser/demo/tree/main?limit=0").status_code == 400
