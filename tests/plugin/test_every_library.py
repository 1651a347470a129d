"""Nothing escapes the fixture: every HTTP library, sync and async, reaches the fake for every
Hub host; ``block_network`` refuses other hosts at once but not loopback; and teardown leaves
every library as it found it."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

HELPERS = '''
import asyncio
import http.server
import json
import threading
import urllib.error
import urllib.request

import pytest

AUTH = {"authorization": "Bearer hf_fake_write"}
SYNC = ["httpx", "httpx2", "requests", "urllib3", "urllib"]
ASYNC = ["httpx", "httpx2", "aiohttp"]
HUB_BASES = [
    "https://huggingface.co",
    "https://hf.co",
    "https://hub-ci.huggingface.co",
    "https://cas-bridge.xethub.hf.co",
]


def fetch(lib, url, headers=None):
    """(status, text, headers) of GET url with lib (sync)."""
    headers = headers or {}
    if lib in ("httpx", "httpx2"):
        http = __import__(lib)
        with http.Client(follow_redirects=True) as client:
            r = client.get(url, headers=headers)
            return r.status_code, r.text, dict(r.headers)
    if lib == "requests":
        import requests
        r = requests.get(url, headers=headers)
        return r.status_code, r.text, dict(r.headers)
    if lib == "urllib3":
        import urllib3
        r = urllib3.PoolManager().request("GET", url, headers=headers)
        return r.status, r.data.decode(), dict(r.headers)
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


async def afetch(lib, url, headers=None):
    headers = headers or {}
    if lib == "aiohttp":
        import aiohttp
        async with aiohttp.ClientSession() as session:
            async with session.get(url, headers=headers) as r:
                return r.status, await r.text(), dict(r.headers)
    http = __import__(lib)
    async with http.AsyncClient(follow_redirects=True) as client:
        r = await client.get(url, headers=headers)
        return r.status_code, r.text, dict(r.headers)


def lower(headers):
    return {k.lower(): v for k, v in headers.items()}


@pytest.fixture
def local_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"local answer"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
'''

REACHES = (
    HELPERS
    + """

@pytest.mark.parametrize("base", HUB_BASES)
@pytest.mark.parametrize("lib", SYNC)
def test_sync_hub_request_reaches_the_fake(fake_hub, lib, base):
    status, text, _ = fetch(lib, base + "/api/whoami-v2", AUTH)
    assert status == 200, text
    assert json.loads(text)["name"] == "fakeuser"
    last = fake_hub.requests[-1]
    assert (last.library, last.url, last.status) == (lib, base + "/api/whoami-v2", 200)


@pytest.mark.parametrize("base", HUB_BASES)
@pytest.mark.parametrize("lib", ASYNC)
def test_async_hub_request_reaches_the_fake(fake_hub, lib, base):
    status, text, _ = asyncio.run(afetch(lib, base + "/api/whoami-v2", AUTH))
    assert status == 200, text
    assert json.loads(text)["name"] == "fakeuser"
    assert fake_hub.requests[-1].library == lib


@pytest.mark.parametrize("lib", SYNC)
def test_sync_app_host_reaches_the_fake(fake_hub, lib):
    status, text, headers = fetch(lib, "https://nobody-nothing.hf.space/")
    assert status == 404
    assert lower(headers)["x-fakehub-space-stage"] == "NOT_FOUND"
    assert fake_hub.requests[-1].library == lib


@pytest.mark.parametrize("lib", ASYNC)
def test_async_app_host_reaches_the_fake(fake_hub, lib):
    status, text, headers = asyncio.run(afetch(lib, "https://nobody-nothing.hf.space/"))
    assert status == 404
    assert lower(headers)["x-fakehub-space-stage"] == "NOT_FOUND"


def test_error_statuses_come_back_as_each_library_reports_them(fake_hub):
    for lib in SYNC:
        status, text, _ = fetch(lib, "https://huggingface.co/api/spaces/nobody/nothing/runtime")
        assert status == 404, lib
    assert {r.library for r in fake_hub.requests} == set(SYNC)


def test_request_bodies_arrive(fake_hub):
    import httpx2
    import requests

    body = {"type": "space", "name": "demo", "sdk": "gradio"}
    r = requests.post("https://huggingface.co/api/repos/create", json=body, headers=AUTH)
    assert r.status_code == 200, r.text
    with httpx2.Client() as client:
        r2 = client.post(
            "https://huggingface.co/api/spaces/fakeuser/demo/secrets",
            json={"key": "A", "value": "b"},
            headers=AUTH,
        )
    assert r2.status_code == 200, r2.text


@pytest.fixture
def redirecting_app(fake_hub):
    fake_hub.set_policy("space", "instant")
    api = fake_hub.api
    api.create_repo("fakeuser/demo", repo_type="space", space_sdk="gradio")
    api.upload_file(path_or_fileobj=b"import gradio", path_in_repo="app.py",
                    repo_id="fakeuser/demo", repo_type="space")
    fake_hub.control.script_space("fakeuser/demo", app={
        "/old": {"status": 302, "headers": {"Location": "https://fakeuser-demo.hf.space/new"}},
        "/new": {"body": "new page"},
    })
    return "https://fakeuser-demo.hf.space/old"


def test_redirects_to_hub_hosts_come_back_to_the_fake(fake_hub, redirecting_app):
    for lib in SYNC:
        assert fetch(lib, redirecting_app)[:2] == (200, "new page"), lib
    for lib in ASYNC:
        assert asyncio.run(afetch(lib, redirecting_app))[:2] == (200, "new page"), lib
    assert fake_hub.blocked == []


def test_bare_http_client_to_the_hub_is_refused_not_sent(fake_hub):
    import http.client

    connection = http.client.HTTPSConnection("huggingface.co")
    with pytest.raises(ConnectionError, match="http.client connection to huggingface.co"):
        connection.request("GET", "/api/whoami-v2")
    assert fake_hub.blocked == ["CONNECT https://huggingface.co:443/"]


def test_sync_call_inside_a_running_event_loop(fake_hub):
    import requests

    async def call():
        return requests.get("https://huggingface.co/api/whoami-v2", headers=AUTH).json()["name"]

    assert asyncio.run(call()) == "fakeuser"


def test_calls_from_threads(fake_hub):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(lambda _: fake_hub.api.whoami()["name"], range(8)))
    assert names == ["fakeuser"] * 8


def test_other_hosts_are_left_alone_without_block_network(fake_hub, local_server):
    for lib in SYNC:
        assert fetch(lib, local_server)[:2] == (200, "local answer"), lib
    assert fake_hub.blocked == []


def test_streams_arrive_while_the_fake_still_writes(fake_hub):
    # A job that runs for an hour of virtual time (which never passes here): its log stream
    # stays open, and the lines the fake has written so far reach the client.
    import httpx2
    import requests

    fake_hub.set_policy("job", "timed", {"run": "1h"})
    job = fake_hub.api.run_job(image="python:3.12", command=["echo", "hi"])
    fake_hub.advance("1m")  # started: its first lines are written, the end is an hour away
    url = f"https://huggingface.co/api/jobs/fakeuser/{job.id}/logs"
    with httpx2.Client() as client:
        with client.stream("GET", url, headers=AUTH) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            assert "Job started" in next(response.iter_lines())
    # requests reads whole chunks (iter_lines: 512 bytes) before it yields, over a socket too
    with requests.get(url, headers=AUTH, stream=True) as response:
        assert next(response.iter_content(chunk_size=5)) == b"data:"

    async def first_chunk():
        import httpx

        async with httpx.AsyncClient() as client:
            async with client.stream("GET", url, headers=AUTH) as response:
                async for chunk in response.aiter_raw():
                    return chunk

    assert b"Job started" in asyncio.run(first_chunk())


def test_real_client_follows_job_logs_to_the_end(fake_hub):
    fake_hub.set_policy("job", "instant")
    job = fake_hub.api.run_job(image="python:3.12", command=["echo", "hi"])
    lines = list(fake_hub.api.fetch_job_logs(job_id=job.id, follow=True))
    assert lines[-1] == "fakehub: exited with code 0"
"""
)

BLOCKED = (
    HELPERS
    + """
import socket


@pytest.mark.fake_hub(block_network=True)
@pytest.mark.parametrize("lib", SYNC)
def test_sync_other_hosts_fail_at_once(fake_hub, lib, local_server):
    with pytest.raises(ConnectionError, match="example.com"):
        fetch(lib, "https://example.com/x")
    assert fetch(lib, local_server)[:2] == (200, "local answer")
    assert fetch(lib, "https://huggingface.co/api/whoami-v2", AUTH)[0] == 200
    assert fake_hub.blocked == ["GET https://example.com/x"]


@pytest.mark.fake_hub(block_network=True)
@pytest.mark.parametrize("lib", ASYNC)
def test_async_other_hosts_fail_at_once(fake_hub, lib, local_server):
    with pytest.raises(ConnectionError, match="example.com"):
        asyncio.run(afetch(lib, "https://example.com/x"))
    assert asyncio.run(afetch(lib, local_server))[:2] == (200, "local answer")


@pytest.mark.fake_hub(block_network=True)
def test_raw_sockets_fail_naming_the_address(fake_hub):
    with pytest.raises(ConnectionError, match="203.0.113.7"):
        socket.create_connection(("203.0.113.7", 80))
    with socket.socket() as sock:
        with pytest.raises(ConnectionError, match="203.0.113.8"):
            sock.connect_ex(("203.0.113.8", 443))


@pytest.mark.fake_hub(block_network=True, allow_hosts=["example.invalid"])
def test_allow_hosts_are_let_through(fake_hub):
    import httpx

    with pytest.raises(httpx.ConnectError):  # let through: it fails on name resolution
        httpx.get("http://example.invalid/")


def test_block_network_from_the_command_line(fake_hub):
    with pytest.raises(ConnectionError, match="block_network"):
        fetch("httpx", "https://example.com/")


def test_zz_teardown_left_every_library_as_found(local_server):
    import http.client

    import aiohttp
    import httpx
    import httpx2
    import requests
    import urllib3

    for owner, name in [
        (httpx.HTTPTransport, "handle_request"),
        (httpx.AsyncHTTPTransport, "handle_async_request"),
        (httpx2.HTTPTransport, "handle_request"),
        (requests.adapters.HTTPAdapter, "send"),
        (urllib3.connectionpool.HTTPConnectionPool, "urlopen"),
        (urllib.request.AbstractHTTPHandler, "do_open"),
        (aiohttp.ClientSession, "_request"),
        (socket.socket, "connect"),
        (http.client.HTTPConnection, "connect"),
    ]:
        module = getattr(getattr(owner, name), "__module__", "") or ""
        assert not module.startswith("fakehub"), (owner, name)
    for lib in SYNC:
        assert fetch(lib, local_server)[:2] == (200, "local answer"), lib
    for lib in ASYNC:
        assert asyncio.run(afetch(lib, local_server))[:2] == (200, "local answer"), lib
    socket.create_connection(("127.0.0.1", int(local_server.split(":")[2].strip("/")))).close()
"""
)


@pytest.mark.clients("2.4.0")
def test_every_library_reaches_the_fake(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=REACHES)
    result = inner("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=20 + 12 + 5 + 3 + 9)


@pytest.mark.clients("2.4.0")
def test_block_network(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=BLOCKED)
    result = inner("-p", "no:randomly", "-q", "-k", "not command_line")
    result.assert_outcomes(passed=5 + 3 + 2 + 1)
    result = inner("-p", "no:randomly", "-q", "--fakehub-block-network", "-k", "command_line")
    result.assert_outcomes(passed=1)


@pytest.mark.clients("2.4.0")
def test_every_library_reaches_a_fake_in_another_process(
    pytester: pytest.Pytester, inner: Inner
) -> None:
    # --fakehub-url: no app in this process to call, so requests go to the server's socket.
    from fakehub import FakeHub
    from fakehub.server import ServerThread

    pytester.makepyfile(test_user=REACHES)
    with ServerThread(FakeHub()) as server:
        result = inner("-p", "no:randomly", "-q", "--fakehub-url", server.url)
    result.assert_outcomes(passed=20 + 12 + 5 + 3 + 9)


CONFIGURED = """
import httpx
import pytest


@pytest.fixture
def fake_hub_config():
    return {"block_network": True}


def test_from_fake_hub_config(fake_hub):
    with pytest.raises(ConnectionError, match="example.org"):
        httpx.get("https://example.org/")


@pytest.mark.fake_hub(block_network=False)
def test_a_marker_turns_it_off(fake_hub):
    with pytest.raises(httpx.ConnectError):  # let through: fails on name resolution
        httpx.get("http://example.invalid/")


@pytest.mark.fake_hub(block_network="yes")
def test_a_bad_value_is_named(fake_hub):
    pass
"""


@pytest.mark.clients("2.4.0")
def test_block_network_settings(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=CONFIGURED)
    result = inner("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*block_network: expected True or False, got 'yes'*"])
