"""No input breaks it: one test per finding of the attack run (issue 10), over HTTP.

Each refusal is a 400 in the Hub's error format naming the problem, and the state dump is the
same before and after: nothing refused is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from fakehub.config import TokenSpec, UserSpec, default_users
from fakehub.requestlog import TRUNCATED
from fakehub.untrusted import MAX_DEPTH, MAX_NUMBER_CHARS
from tests.conftest import WRITE

JOB = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}
OTHER = {"authorization": "Bearer hf_someone_write"}


@pytest.fixture
def hub() -> FakeHub:
    someone = UserSpec("someone", tokens=(TokenSpec("hf_someone_write", "write"),))
    return FakeHub(HubConfig(users=(*default_users(), someone)))


@pytest.fixture
def api(hub: FakeHub) -> Iterator[TestClient]:
    app = create_app(hub)
    with TestClient(app, base_url="http://fake.test", raise_server_exceptions=False) as client:
        client.headers.update(WRITE)
        for name, private, who in [("demo", False, WRITE), ("hidden", True, OTHER),
                                   ("shown", False, OTHER)]:  # fmt: skip
            body = {"name": name, "type": "space", "sdk": "gradio", "private": private}
            assert client.post("/api/repos/create", json=body, headers=who).status_code == 200
        yield client
    assert app.state.server_errors == []


def refused(
    api: TestClient, hub: FakeHub, method: str, url: str, body: bytes | str, **kw: Any
) -> str:
    """Send ``body``; assert a 400 that changed nothing; return the error message."""
    before = hub.dump()
    response = api.request(method, url, content=body, **kw)
    assert response.status_code == 400, response.text
    assert hub.dump() == before
    message: str = response.json()["error"]
    return message


# -- finding 1: deep nesting -------------------------------------------------------------------

DEEP_ROUTES = [
    ("POST", "/api/repos/create"),
    ("POST", "/api/jobs/fakeuser"),
    ("POST", "/api/spaces/fakeuser/demo/secrets"),
    ("POST", "/_fakehub/faults"),
]


@pytest.mark.parametrize(("method", "url"), DEEP_ROUTES)
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_deep_nesting_is_a_400_naming_the_limit(
    api: TestClient, hub: FakeHub, method: str, url: str, depth: int
) -> None:
    body = "[" * depth + "]" * depth
    assert f"nested deeper than {MAX_DEPTH} levels" in refused(api, hub, method, url, body)
    wrapped = '{"a": ' + "{" * depth + "}" * depth + "}"
    before = hub.dump()
    anonymous = api.request(method, url, content=wrapped, headers={"authorization": ""})
    assert anonymous.status_code in (400, 401)  # anonymous too: refused, never a 500
    assert hub.dump() == before


def test_nesting_within_the_limit_reaches_the_route(api: TestClient, hub: FakeHub) -> None:
    body = {"name": "ok", "type": "space", "sdk": "gradio", "x": json.loads("[" * 60 + "]" * 60)}
    assert api.post("/api/repos/create", json=body).status_code == 200


def test_deep_nesting_in_a_commit_line_and_a_scenario(api: TestClient, hub: FakeHub) -> None:
    header = json.dumps({"key": "header", "value": {"summary": "s"}})
    deep = '{"key": "file", "value": ' + "[" * 5000 + "]" * 5000 + "}"
    message = refused(
        api, hub, "POST", "/api/spaces/fakeuser/demo/commit/main", f"{header}\n{deep}"
    )
    assert "line 2" in message and "nested deeper" in message
    yaml_text = "version: 1\nspaces: " + "[" * 3000 + "]" * 3000
    message = refused(api, hub, "POST", "/_fakehub/scenario", json.dumps({"yaml": yaml_text}))
    assert "nested deeper" in message


# -- finding 2: huge numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal", ["9" * 5000, "9" * (MAX_NUMBER_CHARS + 1), "1e400", "-1e999", "NaN", "Infinity"]
)
def test_numbers_beyond_the_documented_size_are_a_400(
    api: TestClient, hub: FakeHub, literal: str
) -> None:
    for method, url in DEEP_ROUTES:
        message = refused(api, hub, method, url, '{"timeoutSeconds": ' + literal + "}")
        assert literal[:20] in message, message


def test_huge_numbers_in_a_scenario_are_refused(api: TestClient, hub: FakeHub) -> None:
    yaml_text = "version: 1\nseed: " + "9" * 5000
    message = refused(api, hub, "POST", "/_fakehub/scenario", json.dumps({"yaml": yaml_text}))
    assert f"more than {MAX_NUMBER_CHARS} characters" in message


# -- finding 3: lone surrogates ----------------------------------------------------------------

SURROGATE_WRITES = [
    ("POST", "/api/spaces/fakeuser/demo/variables", '{"key": "V", "value": "a\\ud800"}'),
    ("POST", "/api/spaces/fakeuser/demo/secrets", '{"key": "S", "value": "\\udfff!"}'),
    ("POST", "/api/spaces/fakeuser/demo/secrets", '{"key": "S", "value": "x", "\\ud83d": 1}'),
    ("POST", "/api/jobs/fakeuser", json.dumps(JOB)[:-1] + ', "environment": {"A\\udc00": "1"}}'),
    (
        "POST",
        "/api/scheduled-jobs/fakeuser",
        '{"schedule": "@hourly", "jobSpec": {"command": ["echo", "\\ud800"], '
        '"flavor": "cpu-basic", "dockerImage": "python:3.12"}}',
    ),
    ("POST", "/api/repos/create", '{"name": "x", "type": "space", "sdk": "gradio\\ud800"}'),
]


@pytest.mark.parametrize(("method", "url", "body"), SURROGATE_WRITES)
def test_lone_surrogates_anywhere_are_a_400_and_nothing_is_stored(
    api: TestClient, hub: FakeHub, method: str, url: str, body: str
) -> None:
    message = refused(api, hub, method, url, body)
    assert "not valid Unicode: a lone surrogate" in message
    assert api.get("/api/spaces/fakeuser/demo").status_code == 200
    assert api.get("/_fakehub/state").status_code == 200


def test_a_file_path_with_a_lone_surrogate_is_refused_and_reads_keep_working(
    api: TestClient, hub: FakeHub
) -> None:
    header = json.dumps({"key": "header", "value": {"summary": "add"}})
    line = '{"key": "file", "value": {"path": "a\\udc00.txt", "content": "eA==", "encoding": "base64"}}'
    message = refused(
        api, hub, "POST", "/api/spaces/fakeuser/demo/commit/main", f"{header}\n{line}"
    )
    assert "line 2" in message and "U+DC00" in message
    # the same bytes raw (UTF-8 encoded surrogate, which json.loads would accept) too
    raw = f"{header}\n".encode() + line.replace("\\udc00", "\udc00").encode(
        "utf-8", "surrogatepass"
    )
    refused(api, hub, "POST", "/api/spaces/fakeuser/demo/commit/main", raw)
    assert api.get("/api/spaces/fakeuser/demo").status_code == 200
    assert api.get("/api/jobs/fakeuser").status_code == 200


def test_surrogates_in_readme_front_matter_fail_the_build_not_the_reads(
    api: TestClient, hub: FakeHub
) -> None:
    readme = '---\nsdk: gradio\ntitle: "bad \\ud800"\n---\n'
    header = json.dumps({"key": "header", "value": {"summary": "card"}})
    line = json.dumps({"key": "file", "value": {"path": "README.md", "content": readme}})
    response = api.post("/api/spaces/fakeuser/demo/commit/main", content=f"{header}\n{line}")
    assert response.status_code == 200  # a file is bytes; the card is what is refused
    info = api.get("/api/spaces/fakeuser/demo")
    assert info.status_code == 200
    runtime = api.get("/api/spaces/fakeuser/demo/runtime").json()
    assert runtime["stage"] == "CONFIG_ERROR" and "lone surrogate" in runtime["errorMessage"]


# -- finding 5: the request log is bounded in bytes --------------------------------------------


def test_long_search_strings_are_logged_truncated(api: TestClient, hub: FakeHub) -> None:
    for _ in range(3):
        assert api.get("/api/spaces", params={"search": "x" * 50_000}).status_code == 200
    entries = hub.request_log.find(path="/api/spaces")
    assert len(entries) == 3
    assert all(TRUNCATED in e.query and len(e.query) < 2_100 for e in entries)
    assert hub.request_log.size < 3 * 3_000


# -- finding 6: Space references ---------------------------------------------------------------

SPACE_VOLUME = {"type": "space", "source": "someone/hidden", "mountPath": "/data"}


def _job_with(**fields: Any) -> dict[str, Any]:
    spec = {
        key: value for key, value in JOB.items() if key != "dockerImage" or "spaceId" not in fields
    }
    return {**spec, **fields}


REFERENCES = [
    ("POST", "/api/jobs/fakeuser", _job_with(spaceId="{ref}"), "spaceId"),
    ("POST", "/api/jobs/fakeuser", _job_with(volumes=[{**SPACE_VOLUME, "source": "{ref}"}]),
     "volumes[0].source"),
    ("POST", "/api/scheduled-jobs/fakeuser",
     {"schedule": "@hourly", "jobSpec": _job_with(spaceId="{ref}")}, "jobSpec.spaceId"),
    ("POST", "/api/scheduled-jobs/fakeuser",
     {"schedule": "@hourly", "jobSpec": _job_with(volumes=[{**SPACE_VOLUME, "source": "{ref}"}])},
     "jobSpec.volumes[0].source"),
    ("PUT", "/api/spaces/fakeuser/demo/volumes",
     {"volumes": [{**SPACE_VOLUME, "source": "{ref}"}]}, "volumes[0].source"),
    ("POST", "/api/repos/create",
     {"name": "new", "type": "space", "sdk": "gradio",
      "volumes": [{**SPACE_VOLUME, "source": "{ref}"}]}, "volumes[0].source"),
]  # fmt: skip


def _body(template: dict[str, Any], ref: str) -> str:
    return json.dumps(template).replace("{ref}", ref)


@pytest.mark.parametrize(("method", "url", "template", "field"), REFERENCES)
@pytest.mark.parametrize("ref", ["someone/hidden", "nobody/nothing"])
def test_a_space_the_caller_cannot_see_is_a_404_naming_it(
    api: TestClient,
    hub: FakeHub,
    method: str,
    url: str,
    template: dict[str, Any],
    field: str,
    ref: str,
) -> None:
    before = hub.dump()
    response = api.request(method, url, content=_body(template, ref))
    assert response.status_code == 404, response.text
    assert response.json()["error"].startswith(f"{field}: Space {ref} not found")
    assert response.headers["x-error-code"] == "RepoNotFound"
    assert hub.dump() == before


@pytest.mark.parametrize(("method", "url", "template", "field"), REFERENCES)
@pytest.mark.parametrize("ref", ["no-slash", "a/b/c", "/x", "a/", "a b/c"])
def test_a_malformed_space_reference_is_a_400(
    api: TestClient,
    hub: FakeHub,
    method: str,
    url: str,
    template: dict[str, Any],
    field: str,
    ref: str,
) -> None:
    message = refused(api, hub, method, url, _body(template, ref))
    assert field in message


@pytest.mark.parametrize(("method", "url", "template", "field"), REFERENCES)
def test_visible_spaces_are_accepted(
    api: TestClient, method: str, url: str, template: dict[str, Any], field: str
) -> None:
    for ref in ("someone/shown", "fakeuser/demo"):
        body = _body(template, ref).replace('"name": "new"', f'"name": "new-{ref[:3]}"')
        response = api.request(method, url, content=body)
        assert response.status_code == 200, response.text
    owner = api.request(method, url, content=_body(template, "someone/hidden"), headers=OTHER)
    assert owner.status_code != 404 or "someone/hidden" not in owner.text


# -- finding 10 (and 7's dump): see test_control_token.py and test_crash_report below ----------


def test_a_500_is_printed_with_its_request_id(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakehub.middleware import ServerError

    printed: list[ServerError] = []

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug in the fake")

    monkeypatch.setattr(hub.spaces, "runtime", boom)
    app = create_app(hub, on_error=printed.append)
    with TestClient(app, base_url="http://fake.test", raise_server_exceptions=False) as client:
        response = client.get("/api/spaces/fakeuser/demo/runtime", headers=WRITE)
    assert response.status_code == 500
    assert len(printed) == 1
    report = printed[0].report()
    assert printed[0].request_id == response.headers["x-request-id"]
    assert f"X-Request-Id: {response.headers['x-request-id']}" in report
    assert "RuntimeError: a bug in the fake" in report and "Traceback" in report


def test_fakehub_serve_prints_the_500_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    from fakehub.middleware import ServerError
    from fakehub.server import print_server_error

    error = ServerError("GET", "/api/x", "Traceback (most recent call last):\nBoom\n", "Root=1-0a")
    print_server_error(error)
    err = capsys.readouterr().err
    assert err.startswith("fakehub: 500 on GET /api/x (X-Request-Id: Root=1-0a)\nTraceback")
