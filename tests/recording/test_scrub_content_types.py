"""Secrets stay out of the cassette whatever ``Content-Type`` the client sent (finding 4).

Hub routes read JSON bodies whatever the header (``curl -d`` sends a form type): the recorder
reads them the same way, so the scrubber finds the secrets by structure. A body the route would
not parse, sent to a route that carries secrets, is replaced whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from fakehub.recording import CassetteServer
from fakehub.recording.cassette import Request
from fakehub.recording.scrub import SECRET, Scrubber
from fakehub.server import ServerThread
from tests.recording.conftest import http

CONTENT_TYPES: list[str | None] = [
    "application/json",
    "application/x-www-form-urlencoded",
    None,
    "text/plain",
    "application/octet-stream",
    "multipart/form-data; boundary=x",
]


def secret_requests(tag: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every request that carries a secret value, each value unique to this run."""
    spec = {"command": ["echo", "hi"], "flavor": "cpu-basic", "dockerImage": "python:3.12"}
    return [
        ("POST", "/api/repos/create",
         {"name": "vault", "type": "space", "sdk": "docker",
          "secrets": [{"key": "CREATE_SECRET", "value": f"create-secret-{tag}"}]}),
        ("POST", "/api/spaces/fakeuser/vault/secrets",
         {"key": "SPACE_SECRET", "value": f"space-secret-{tag}"}),
        ("POST", "/api/spaces/fakeuser/vault/duplicate",
         {"repository": "fakeuser/vault-copy",
          "secrets": [{"key": "DUP_SECRET", "value": f"dup-secret-{tag}"}]}),
        ("POST", "/api/jobs/fakeuser", {**spec, "secrets": {"JOB_SECRET": f"job-secret-{tag}"}}),
        ("POST", "/api/scheduled-jobs/fakeuser",
         {"schedule": "@hourly",
          "jobSpec": {**spec, "secrets": {"CRON_SECRET": f"cron-secret-{tag}"}}}),
    ]  # fmt: skip


def _headers(content_type: str | None) -> dict[str, str]:
    return {} if content_type is None else {"content-type": content_type}


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_no_secret_reaches_the_cassette_whatever_the_content_type(
    live: ServerThread, recorder: CassetteServer, cassette: Path, content_type: str | None
) -> None:
    tag = "a1b2c3"
    requests = secret_requests(tag)
    with http(recorder) as client:
        for method, path, body in requests:
            raw = json.dumps(body).encode()
            response = client.request(method, path, content=raw, headers=_headers(content_type))
            assert response.status_code < 500, response.text
        # the same secrets as real form fields, and as broken JSON the route cannot parse
        for method, path, body in requests:
            form = httpx.QueryParams({k: json.dumps(v) for k, v in body.items()})
            client.request(method, path, content=str(form).encode(), headers=_headers(content_type))
            client.request(method, path, content=json.dumps(body).encode()[:-1])
    recorder.stop()
    text = cassette.read_text()
    assert tag not in text  # no value, in any encoding the cassette might hold it
    assert SECRET in text


def test_json_sent_as_a_form_is_recorded_as_json_and_scrubbed(
    live: ServerThread, recorder: CassetteServer, cassette: Path
) -> None:
    secret = {"key": "DB", "value": "form-typed-secret"}
    create = {"name": "vault", "type": "space", "sdk": "docker"}
    with http(recorder) as client:
        assert client.post("/api/repos/create", json=create).status_code == 200
        form = {"content-type": "application/x-www-form-urlencoded"}
        sent = client.post(
            "/api/spaces/fakeuser/vault/secrets", content=json.dumps(secret), headers=form
        )
        assert sent.status_code == 200  # the fake, like the Hub, read the JSON
    recorder.stop()
    text = cassette.read_text()
    assert "form-typed-secret" not in text
    assert "key: DB" in text  # recorded structurally: the key is kept, the value scrubbed


def test_the_scrubber_replaces_unparsed_bodies_only_on_secret_routes() -> None:
    scrubber = Scrubber()
    secret_route = Request(method="POST", path="/api/jobs/u", text="secrets=zzz")
    assert scrubber.request(secret_route).text == SECRET
    binary = Request(method="POST", path="/api/spaces/u/s/secrets", base64="AAEC")
    scrubbed = scrubber.request(binary)
    assert scrubbed.text == SECRET and scrubbed.base64 is None
    other = Request(method="POST", path="/api/spaces/u/s/paths-info/main", text="paths=a")
    assert scrubber.request(other).text == "paths=a"
