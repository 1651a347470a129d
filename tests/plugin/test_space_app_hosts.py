"""Space app hosts under the fixture: a client following ``space_info(...).host`` reaches the
fake's stand-in app, stage by stage; gradio_client's ``Client.duplicate`` runs end to end."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import Inner

STAGES = """
import httpx
import pytest

APP = b"import gradio as gr\\n"


def make_space(api, repo_id="fakeuser/demo"):
    api.create_repo(repo_id, repo_type="space", space_sdk="gradio")
    api.upload_file(path_or_fileobj=APP, path_in_repo="app.py", repo_id=repo_id, repo_type="space")
    return api.space_info(repo_id)


def stage_of(response):
    return response.headers["x-fakehub-space-stage"]


@pytest.mark.fake_hub(space_policy="timed", durations={"build": "2m", "start": "30s"})
def test_app_host_follows_the_stages(fake_hub):
    api = fake_hub.api
    info = make_space(api)
    assert info.host == "https://fakeuser-demo.hf.space"
    building = httpx.get(info.host + "/")
    assert (building.status_code, stage_of(building)) == (503, "BUILDING")
    assert building.headers["retry-after"] == "5"
    fake_hub.advance("2m")
    starting = httpx.get(info.host + "/")
    assert (starting.status_code, stage_of(starting)) == (503, "APP_STARTING")
    fake_hub.advance("30s")
    page = httpx.get(info.host + "/")
    assert (page.status_code, stage_of(page)) == (200, "RUNNING")
    assert "fakeuser/demo" in page.text and info.sha in page.text
    api.pause_space("fakeuser/demo")
    paused = httpx.get(info.host + "/anything")
    assert (paused.status_code, stage_of(paused)) == (503, "PAUSED")
    unknown = httpx.get("https://nobody-nothing.hf.space/")
    assert (unknown.status_code, stage_of(unknown)) == (404, "NOT_FOUND")


@pytest.mark.fake_hub(space_policy="instant")
def test_a_visit_wakes_a_sleeping_space(fake_hub):
    api = fake_hub.api
    info = make_space(api)
    api.request_space_hardware("fakeuser/demo", "cpu-upgrade", sleep_time=3600)
    assert api.get_space_runtime("fakeuser/demo").stage == "RUNNING"
    fake_hub.advance("30m")
    assert httpx.get(info.host + "/").status_code == 200  # a visit: the idle timer restarts
    fake_hub.advance("45m")
    assert api.get_space_runtime("fakeuser/demo").stage == "RUNNING"
    fake_hub.advance("16m")
    assert api.get_space_runtime("fakeuser/demo").stage == "SLEEPING"
    fake_hub.set_policy("space", "timed")
    woken = httpx.get(info.host + "/")
    assert (woken.status_code, stage_of(woken)) == (503, "APP_STARTING")
    assert api.get_space_runtime("fakeuser/demo").stage == "APP_STARTING"


@pytest.mark.fake_hub(space_policy="instant")
def test_scripted_answers_and_gradio_protocol(fake_hub):
    info = make_space(fake_hub.api)
    fake_hub.control.script_space(
        "fakeuser/demo",
        app={"/health": {"status": 200, "body": "ok", "headers": {"X-App": "1"}}},
    )
    health = httpx.get(info.host + "/health")
    assert (health.status_code, health.text, health.headers["x-app"]) == (200, "ok", "1")
    config = httpx.get(info.host + "/config")
    assert config.status_code == 501
    assert "GET /config" in config.text
    hosts = [(r.host, r.path, r.status) for r in fake_hub.requests if r.host.endswith("hf.space")]
    assert hosts == [
        ("fakeuser-demo.hf.space", "/health", 200),
        ("fakeuser-demo.hf.space", "/config", 501),
    ]
    logged = fake_hub.control.request_log(path="/config")
    assert [entry["host"] for entry in logged["requests"]] == ["fakeuser-demo.hf.space"]
"""

GRADIO = """
import pytest
from gradio_client import Client


@pytest.mark.fake_hub(block_network=True, space_policy="instant")
def test_duplicate_is_answered_by_the_fake(fake_hub):
    api = fake_hub.api
    api.create_repo("fakeorg/source-space", repo_type="space", space_sdk="gradio")
    api.upload_file(
        path_or_fileobj=b"import gradio as gr\\n",
        path_in_repo="app.py",
        repo_id="fakeorg/source-space",
        repo_type="space",
    )
    with pytest.raises(ValueError, match="Could not get Gradio config"):
        Client.duplicate(
            "fakeorg/source-space",
            to_id="my-copy",
            token=fake_hub.token,
            hardware="t4-small",
            secrets={"API_KEY": "s3cret"},
            sleep_timeout=10,
            verbose=False,
        )
    seen = {(r.method, r.path, r.library): r.status for r in fake_hub.requests}
    assert seen[("POST", "/api/spaces/fakeorg/source-space/duplicate", "huggingface_hub")] == 200
    assert seen[("POST", "/api/spaces/fakeuser/my-copy/secrets", "huggingface_hub")] == 200
    assert seen[("POST", "/api/spaces/fakeuser/my-copy/hardware", "huggingface_hub")] == 200
    # gradio_client's own httpx post to the hard-coded https://huggingface.co
    assert seen[("POST", "/api/spaces/fakeuser/my-copy/sleeptime", "httpx")] == 200
    # then the app host: the first Gradio-protocol call gets the fake's 501
    app = [r for r in fake_hub.requests if r.host == "fakeuser-my-copy.hf.space"]
    assert (app[0].method, app[0].path, app[0].status) == ("GET", "/config", 501)
    assert fake_hub.blocked == []
    runtime = api.get_space_runtime("fakeuser/my-copy")
    assert runtime.hardware == "t4-small"
    assert runtime.raw["gcTimeout"] == 600
    assert list(api.get_space_secrets("fakeuser/my-copy")) == ["API_KEY"]
"""


@pytest.mark.clients("2.4.0")
def test_app_hosts_per_stage_through_the_plugin(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=STAGES)
    result = inner("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=3)


@pytest.mark.clients("2.4.0")
def test_gradio_client_duplicate(pytester: pytest.Pytester, inner: Inner) -> None:
    pytester.makepyfile(test_user=GRADIO)
    result = inner("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=1)
