"""Every route of the app, fed generated paths, methods, queries, headers and bodies.

Two properties: the fake never answers 500 (nor records a server error), and a request it
refuses (any 4xx/5xx) leaves ``dump_state(hub)`` exactly as it was. A real Space and a real
job are seeded first so that valid-looking paths reach the services, not only the 404s.

Bodies include the hostile shapes of issue 10: nesting far past the limit, number literals of
thousands of digits, ``NaN``/``1e400``, lone surrogates (as ``\\udXXX`` escapes and as raw
UTF-8) in keys, values and commit file paths, sent with every content type.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.routing import Route
from starlette.testclient import TestClient

from fakehub import FakeHub, HubConfig
from fakehub.app import create_app
from tests.conftest import WRITE

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
JOB_SPEC = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}

_hub = FakeHub(HubConfig())
_app = create_app(_hub)
ROUTES = [r for r in _app.routes if isinstance(r, Route)]


def seed(client: TestClient) -> str:
    """Back to the start with one Space and one job; returns the job id."""
    _hub.reset(HubConfig())
    _app.state.server_errors.clear()
    space = client.post(
        "/api/repos/create", json={"type": "space", "name": "demo", "sdk": "gradio"}
    )
    assert space.status_code == 200, space.text
    job = client.post("/api/jobs/fakeuser", json=JOB_SPEC)
    assert job.status_code == 200, job.text
    job_id: str = job.json()["id"]
    return job_id


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(_app, base_url="http://fake.test", raise_server_exceptions=False) as c:
        c.headers.update(WRITE)
        yield c


JOB_ID = "<job>"  # replaced by the seeded job's id (the same on every reset: ids are seeded)
valid_segments = st.sampled_from(
    ["fakeuser", "fakeorg", "demo", JOB_ID, "main", "build", "run", "read", "write", "app.py"]
)
nasty_segments = st.sampled_from(
    [
        "..",
        "%2F",
        "%00",
        "%ff",
        "%ED%A0%80",
        "a%ED%B0%80.txt",
        " ",
        "-",
        "null",
        "{x}",
        "~",
        "é",
        "😀",
        "a" * 300,
        "0" * 40,
    ]
) | st.text(min_size=1, max_size=12).filter(lambda s: "/" not in s and s not in (".", ".."))
segments = valid_segments | valid_segments | nasty_segments

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
#: keys the Hub's bodies use, so generated objects get past "unknown field" into the rules
vocabulary = st.sampled_from(
    ["flavor", "hardware", "seconds", "sleepTime", "key", "value", "description", "type",
     "name", "organization", "private", "sdk", "command", "dockerImage", "spaceId",
     "arguments", "environment", "secrets", "timeoutSeconds", "schedule", "suspend",
     "labels", "ports", "portsPublic", "tier", "volumes", "enabled", "repository",
     "summary", "operations", "files", "visibility", "status", "route", "policy"]
)  # fmt: skip
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
#: strings holding a lone surrogate somewhere (a file path, a key, a value)
poisoned = st.builds(
    lambda a, s, b: a + s + b, st.text(max_size=6), surrogates, st.text(max_size=6)
)


def _deep(depth: int, opener: str) -> str:
    """Nested ``depth`` deep, built as text (``json.dumps`` of such a value would recurse)."""
    if opener == "{":
        return '{"a": ' * depth + "1" + "}" * depth
    return "[" * depth + "]" * depth


def _with(container: dict[str, Any], key: str, raw_value: str) -> bytes:
    """``container`` as JSON with ``key`` set to an already-encoded JSON text."""
    text = json.dumps({**container, key: "__HOLE__"})
    return text.replace('"__HOLE__"', raw_value).encode()


hostile_raw_values = st.one_of(
    st.builds(_deep, st.integers(min_value=60, max_value=5000), st.sampled_from("[{")),
    st.integers(min_value=90, max_value=6000).map(lambda n: "9" * n),
    st.sampled_from(["1e400", "-1e999", "NaN", "Infinity", "-Infinity", "1" + "0" * 4400]),
    poisoned.map(json.dumps),  # "\udXXX" escapes
)
hostile_bodies = st.one_of(
    st.builds(_with, st.dictionaries(vocabulary, json_values, max_size=3), vocabulary,
              hostile_raw_values),
    st.builds(lambda k, v: json.dumps({k: v}).encode(), poisoned, json_values),
    # a lone surrogate as raw UTF-8 bytes (json.loads accepts these when given bytes)
    st.builds(lambda k, v: json.dumps({k: v}, ensure_ascii=False).encode("utf-8", "surrogatepass"),
              vocabulary, poisoned),
)  # fmt: skip


def _commit(path: str, extra: str) -> bytes:
    header = json.dumps({"key": "header", "value": {"summary": "fuzz"}})
    line = json.dumps(
        {"key": "file", "value": {"path": path, "content": "eA==", "encoding": "base64"}}
    )
    return f"{header}\n{line}\n{extra}".encode("utf-8", "surrogatepass")


commit_bodies = st.builds(
    _commit,
    poisoned | st.text(max_size=12) | st.just("app.py"),
    st.just("") | hostile_raw_values.map(lambda v: '{"key": "file", "value": ' + v + "}"),
)
bodies = st.one_of(
    st.none(),
    st.just(b""),
    st.just(b"\xff\xfe{not utf-8"),
    st.just(json.dumps({"name": "x" * 100_000}).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(vocabulary, json_values, max_size=5).map(lambda v: json.dumps(v).encode()),
    hostile_bodies,
    hostile_bodies,
    commit_bodies,
)
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/x-ndjson",
    "application/octet-stream",
    "text/plain",
    "x/y",
]
authorizations = st.sampled_from(
    [WRITE["authorization"], "Bearer hf_fake_read", "Bearer hf_bogus", "Basic abc", "", None]
)


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, dict[str, str], dict[str, str], bytes | None]:
    route = draw(st.sampled_from(ROUTES))
    url = route.path_format
    for name, convertor in route.param_convertors.items():
        if type(convertor).__name__ == "PathConvertor":
            value = "/".join(draw(st.lists(segments, min_size=0, max_size=3)))
        else:
            value = draw(segments)
        url = url.replace("{" + name + "}", quote(value, safe="%"))
    own = st.sampled_from(sorted(route.methods or {"GET"}))
    method = draw(st.one_of(own, own, own, st.sampled_from(METHODS)))
    query = draw(st.dictionaries(vocabulary | st.sampled_from(["limit", "tail", "follow"]),
                                 st.text(max_size=8) | st.sampled_from(["1", "true", "-5"]),
                                 max_size=3))  # fmt: skip
    headers: dict[str, str] = {}
    auth = draw(authorizations)
    if auth is not None:
        headers["authorization"] = auth
    if draw(st.booleans()):
        headers["content-type"] = draw(st.sampled_from(CONTENT_TYPES))
    return method, url, query, headers, draw(bodies)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests())
def test_no_500_and_refusals_change_nothing(
    client: TestClient, request: tuple[str, str, dict[str, str], dict[str, str], bytes | None]
) -> None:
    method, url, query, headers, body = request
    job_id = seed(client)
    url = url.replace(quote(JOB_ID, safe="%"), job_id)
    if "authorization" not in headers:
        headers["authorization"] = ""  # the client's default token must not leak in
    before = _hub.dump()
    with client.stream(method, url, params=query, headers=headers, content=body) as response:
        status = response.status_code
        if not response.headers.get("content-type", "").startswith("text/event-stream"):
            response.read()  # a stream may follow a running job forever: its status is enough
    event(f"{status // 100}xx")  # pytest --hypothesis-show-statistics shows the spread
    context: Any = (method, url, query, headers.get("authorization"), (body or b"")[:200])
    assert status < 500 or status == 501, context
    assert not _app.state.server_errors, _app.state.server_errors[0].traceback
    if status >= 400:
        assert _hub.dump() == before, context
