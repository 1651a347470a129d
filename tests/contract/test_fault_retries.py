"""The real client's retry loop (``http_backoff``, used by pagination) survives injected faults,
and the request log proves what was retried. Each retry costs the client one real second
(``Retry-After`` + 1, or its base wait), so each test injects exactly one fault.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fakehub.server import ServerThread
from tests.clients.driver import ClientWorker
from tests.conftest import WRITE


def control(live: ServerThread, method: str, path: str, **kwargs: Any) -> Any:
    response = httpx.request(method, f"{live.url}/_fakehub{path}", timeout=10, **kwargs)
    assert response.status_code < 300, response.text
    return response.json()


def statuses(live: ServerThread, path: str) -> list[tuple[int, str | None]]:
    entries = control(live, "GET", "/requests", params={"path": path, "method": "GET"})["requests"]
    return [(e["status"], e["fault"] and e["fault"]["id"]) for e in entries]


@pytest.mark.clients("2.4.0")
def test_list_spaces_survives_a_rate_limit(hf: ClientWorker, live: ServerThread) -> None:
    hf.call("create_repo", "fakeuser/demo", repo_type="space", space_sdk="gradio")
    fault = control(
        live,
        "POST",
        "/faults",
        json={
            "method": "GET",
            "route": "/api/spaces",
            "status": 429,
            "count": 1,
            "headers": {"Retry-After": "0", "RateLimit": '"api";r=0;t=0'},
        },
    )
    spaces = hf.call("list_spaces", author="fakeuser")
    assert [s["id"] for s in spaces] == ["fakeuser/demo"]
    assert statuses(live, "/api/spaces") == [(429, fault["id"]), (200, None)]


@pytest.mark.clients("2.4.0")
def test_list_jobs_survives_a_flaky_503(hf: ClientWorker, live: ServerThread) -> None:
    job = hf.call("run_job", image="python:3.12", command=["echo", "hi"])
    fault = control(
        live, "POST", "/faults", json={"route": "/api/jobs/{namespace}", "status": 503, "count": 1}
    )
    jobs = hf.call("list_jobs")
    assert [j["id"] for j in jobs] == [job["id"]]
    assert statuses(live, "/api/jobs/fakeuser") == [(503, fault["id"]), (200, None)]


@pytest.mark.clients("2.4.0")
def test_http_backoff_survives_a_dropped_connection(hf: ClientWorker, live: ServerThread) -> None:
    control(
        live,
        "POST",
        "/faults",
        json={"route": "/api/whoami-v2", "when": "after", "dropAfterBytes": 8, "count": 1},
    )
    name = hf.exec(
        """
        from huggingface_hub.utils import http_backoff
        response = http_backoff("GET", url, headers={"authorization": auth}, max_retries=1)
        result = response.json()["name"]
        """,
        url=f"{live.url}/api/whoami-v2",
        auth=WRITE["authorization"],
    )
    assert name == "fakeuser"
    entries = control(live, "GET", "/requests")["requests"]
    assert [(e["status"], e["fault"] and e["fault"]["dropped"]) for e in entries] == [
        (200, True),
        (200, None),
    ]


def test_a_drop_really_cuts_the_socket(live: ServerThread) -> None:
    control(live, "POST", "/faults", json={"route": "/api/whoami-v2", "when": "after",
                                           "dropAfterBytes": 8})  # fmt: skip
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{live.url}/api/whoami-v2", headers=WRITE, timeout=10)
