"""Connection limits on a real loopback server, with raw sockets (findings 8 and 9).

The server runs with a 0.2 s request timeout so each test waits only as long as that timeout:
every wait below is a blocking ``recv`` that returns when the server closes (or answers), with
a socket timeout far above it only as a safety net.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from fakehub import FakeHub
from fakehub.server import ServerThread
from tests.conftest import WRITE

TIMEOUT = 0.2
SAFETY = 10.0  # a socket still open after this would fail the test, not hang it


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(FakeHub(), request_timeout=TIMEOUT) as server:
        yield server


@pytest.fixture(autouse=True)
def no_server_errors(server: ServerThread) -> Iterator[None]:
    server.app.state.server_errors.clear()
    yield
    assert server.app.state.server_errors == []


def connect(server: ServerThread) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=SAFETY)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_client_that_sends_nothing_is_dropped(server: ServerThread) -> None:
    with connect(server) as sock:
        assert read_until_closed(sock) == b""  # closed without a word, as keep-alive does


def test_many_silent_clients_are_all_dropped(server: ServerThread) -> None:
    sockets = [connect(server) for _ in range(50)]
    try:
        assert [read_until_closed(s) for s in sockets] == [b""] * 50
    finally:
        for sock in sockets:
            sock.close()


def test_half_a_request_head_gets_a_408_then_the_connection_closes(server: ServerThread) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /api/spaces HTTP/1.1\r\nHost: fake\r\nX-Partial: ")
        answer = read_until_closed(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 Request Timeout")
    assert b"connection: close" in head.lower()
    assert "not complete" in json.loads(body)["error"]


def test_half_a_request_body_is_dropped(server: ServerThread) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /api/repos/create HTTP/1.1\r\nHost: fake\r\n"
            b"Authorization: " + WRITE["authorization"].encode() + b"\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name": '
        )
        assert read_until_closed(sock) == b""
    assert server.hub.dump()["space_store"]["_spaces"] == {}  # nothing half-created


def test_keep_alive_between_complete_requests_is_as_before(server: ServerThread) -> None:
    request = (
        b"GET /api/whoami-v2 HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer hf_fake_write\r\n\r\n"
    )
    with connect(server) as sock:
        for _ in range(3):  # one connection, three requests, each answered
            sock.sendall(request)
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(65536)
            assert head.startswith(b"HTTP/1.1 200 OK")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            body = head.partition(b"\r\n\r\n")[2]
            while len(body) < length:
                body += sock.recv(65536)


def test_a_finished_log_stream_answers_in_one_piece(server: ServerThread) -> None:
    spec = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}
    with httpx.Client(base_url=server.url, headers=WRITE, timeout=SAFETY) as client:
        job = client.post("/api/jobs/fakeuser", json=spec).json()
        server.hub.advance(3600)
        for _ in range(20):  # reconnecting to a finished stream is cheap and ends at once
            logs = client.get(f"/api/jobs/fakeuser/{job['id']}/logs")
            assert logs.status_code == 200
            assert logs.headers["content-type"].startswith("text/event-stream")
            assert int(logs.headers["content-length"]) == len(logs.content) > 0
            assert "transfer-encoding" not in logs.headers
            assert b"data: " in logs.content
