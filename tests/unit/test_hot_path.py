"""What the per-request fast paths reuse or skip never answers differently (issue 14)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from starlette.responses import JSONResponse as StarletteJSONResponse

from fakehub import FakeHub
from fakehub.domain.accounts import Token
from fakehub.domain.errors import Unauthorized
from fakehub.domain.jobs.records import JobSpec, Network
from fakehub.domain.spaces.options import SpaceOptions
from fakehub.domain.volumes import Volume
from fakehub.requestlog import LoggedRequest, RequestLog
from fakehub.wire.jobs import job_json
from fakehub.wire.responses import IntegralJSONResponse, JSONResponse, encode_json
from fakehub.wire.runtime import runtime_json

AUTH = "Bearer hf_fake_write"


def test_a_reused_actor_follows_its_token_and_its_user(hub: FakeHub) -> None:
    accounts = hub.ctx.accounts
    first = accounts.authenticate(AUTH)
    assert first is not None and accounts.authenticate(AUTH) is first  # reused while unchanged
    token = accounts.tokens["hf_fake_write"]
    accounts.add_token(dataclasses.replace(token, role="read"))
    demoted = accounts.authenticate(AUTH)
    assert demoted is not None and demoted.role == "read"
    user = accounts.users["fakeuser"]
    accounts.add_user(dataclasses.replace(user, fullname="Someone Else"))
    renamed = accounts.authenticate(AUTH)
    assert renamed is not None and renamed.user.fullname == "Someone Else"
    del accounts.tokens["hf_fake_write"]
    with pytest.raises(Unauthorized):
        accounts.authenticate(AUTH)
    accounts.add_token(Token("hf_fake_write", "nobody", "write", "gone"))
    with pytest.raises(Unauthorized):  # a token whose user is gone
        accounts.authenticate(AUTH)


@pytest.mark.parametrize(
    "content",
    [
        {"stage": "RUNNING", "hardware": {"current": None}, "replicas": {"requested": 1}},
        {"text": 'caf\u00e9 \u2028 "quoted" \\ \n', "emoji": "\U0001f917", "n": [1, 2.5, 1e-05]},
        {"nested": [{"a": [], "b": {}}, (1, "t")], "big": 10**30, 1: "int key", "f": 1e16},
        [],
        "plain",
        3,
        None,
    ],
)
def test_the_shared_encoder_answers_the_bytes_starlette_does(content: Any) -> None:
    assert encode_json(content) == StarletteJSONResponse(content).body
    assert JSONResponse(content).body == StarletteJSONResponse(content).body


@pytest.mark.parametrize("content", [float("nan"), {"x": float("inf")}, {"x": object()}])
def test_the_shared_encoder_refuses_what_starlette_refuses(content: Any) -> None:
    with pytest.raises((ValueError, TypeError)) as starlette_error:
        json.dumps(content, ensure_ascii=False, allow_nan=False)
    with pytest.raises(starlette_error.type):
        encode_json(content)


def test_log_entries_built_fast_equal_those_built_by_their_constructor() -> None:
    log = RequestLog()
    fields: dict[str, Any] = {
        "at_ns": 5, "method": "GET", "path": "/api/x", "query": "a=1", "user": "fakeuser",
        "role": "write", "auth": "token", "status": 200, "request_id": "Root=1-1-fakehub",
    }  # fmt: skip
    entry = log.record(**fields)
    assert entry == LoggedRequest(seq=1, **fields)
    assert hash(entry) == hash(LoggedRequest(seq=1, **fields))
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.status = 500  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected"):
        log.record(**fields, colour="blue")


def _floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for item in value.values() for f in _floats(item)]
    if isinstance(value, list | tuple):
        return [f for item in value for f in _floats(item)]
    return []


def test_runtime_and_job_answers_hold_no_float_and_encode_to_the_same_bytes(
    hub: FakeHub,
) -> None:
    """``IntegralJSONResponse`` (msgspec) is exact for float-free content only."""
    who = hub.ctx.accounts.authenticate(AUTH)
    spec = JobSpec(
        "cpu-basic",
        ("python", "-c", "print('caf\u00e9')"),
        "python:3.12",
        arguments=("--x", "\u2028"),
        environment={"AB": "1"},
        secrets={"SECRET_KEY": "hidden"},
        labels={"k": "v"},
        volumes=(Volume("dataset", "fakeuser/d", "/data", "main", True, "sub"),),
        expose_ports=(8080,),
        ssh=True,
        network=Network("g", ("a",)),
        arch="arm64",
    )
    job = hub.jobs.run(who, "fakeuser", spec)
    hub.advance(100)
    space = hub.repos.create(
        who, name="s", organization=None, sdk="gradio", visibility=None,
        options=SpaceOptions(), endpoint="https://huggingface.co",
    )  # fmt: skip
    for body in (job_json(job, hub.now()), runtime_json(hub.spaces.runtime(who, space.repo_id))):
        assert _floats(body) == []
        assert IntegralJSONResponse(body).body == StarletteJSONResponse(body).body
