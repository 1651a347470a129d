"""What a Space's app host answers, stage by stage (the domain, no HTTP)."""

from __future__ import annotations

import pytest

from fakehub import FakeHub
from fakehub.domain.errors import BadRequest
from fakehub.domain.spaces.records import AppRoute, Commit, SpaceStage
from tests.space_factory import add_space, commit_files

S = SpaceStage
HOST = "fakeuser-demo.hf.space"


def serve(hub: FakeHub, path: str = "/", host: str = HOST, method: str = "GET"):  # type: ignore[no-untyped-def]
    return hub.spaces.serve_app(host, method, path)


def running(hub: FakeHub, **kwargs: object):  # type: ignore[no-untyped-def]
    space = add_space(hub, **kwargs)  # type: ignore[arg-type]
    hub.spaces.place(space.repo_id, S.RUNNING)
    return space


def test_a_running_app_answers_a_page_naming_the_space_and_its_commit(hub: FakeHub) -> None:
    space = running(hub)
    space.commits.append(Commit("c" * 40, "v1", "", "fakeuser", 0, None))
    commit_files(hub, space, {"app.py": b"print(1)\n"})
    hub.spaces.place(space.repo_id, S.RUNNING)
    answer = serve(hub)
    assert answer.status == 200
    assert "fakeuser/demo" in answer.body and "c" * 40 in answer.body
    assert ("X-Fakehub-Space-Stage", "RUNNING") in answer.headers


def test_while_a_new_commit_builds_the_old_app_keeps_answering(hub: FakeHub) -> None:
    space = running(hub)
    space.commits.append(Commit("a" * 40, "v1", "", "fakeuser", 0, None))
    hub.spaces.place(space.repo_id, S.RUNNING)  # the app now runs commit aaaa...
    space.commits.append(Commit("b" * 40, "v2", "", "fakeuser", 0, "a" * 40))
    for stage in (S.RUNNING_BUILDING, S.RUNNING_APP_STARTING):
        hub.spaces.place(space.repo_id, stage)
        answer = serve(hub)
        assert answer.status == 200, stage
        assert "a" * 40 in answer.body and "b" * 40 not in answer.body


@pytest.mark.parametrize(
    ("stage", "status", "retry"),
    [
        (S.BUILDING, 503, True),
        (S.APP_STARTING, 503, True),
        (S.PAUSED, 503, False),
        (S.BUILD_ERROR, 503, False),
        (S.RUNTIME_ERROR, 503, False),
        (S.CONFIG_ERROR, 503, False),
    ],
)
def test_no_app_serves(hub: FakeHub, stage: SpaceStage, status: int, retry: bool) -> None:
    add_space(hub)
    hub.spaces.place("fakeuser/demo", stage)
    answer = serve(hub)
    assert answer.status == status
    assert stage.value in answer.body
    assert (
        ("Retry-After", "5") in answer.headers
        if retry
        else "Retry-After" not in dict(answer.headers)
    )
    assert ("X-Fakehub-Space-Stage", stage.value) in answer.headers


def test_an_error_page_shows_the_error_message(hub: FakeHub) -> None:
    add_space(hub)
    hub.spaces.place("fakeuser/demo", S.RUNTIME_ERROR, error_message="OOM <killed>")
    assert "OOM &lt;killed&gt;" in serve(hub).body


def test_a_request_wakes_a_sleeping_space_and_is_answered_as_starting(hub: FakeHub) -> None:
    add_space(hub)
    hub.spaces.place("fakeuser/demo", S.SLEEPING)
    answer = serve(hub, "/anything")
    assert answer.status == 503
    assert ("X-Fakehub-Space-Stage", "APP_STARTING") in answer.headers
    assert hub.space_store.get("fakeuser/demo").stage is S.APP_STARTING  # type: ignore[union-attr]


def test_every_request_resets_the_idle_timer(hub: FakeHub) -> None:
    running(hub, sleep_time=600, hardware="cpu-upgrade")
    hub.advance(500)
    serve(hub, "/health")
    hub.advance(500)  # 1000 s since start, 500 since the visit
    assert hub.space_store.get("fakeuser/demo").stage is S.RUNNING  # type: ignore[union-attr]
    hub.advance(101)
    assert hub.space_store.get("fakeuser/demo").stage is S.SLEEPING  # type: ignore[union-attr]


def test_unknown_space_is_404(hub: FakeHub) -> None:
    answer = serve(hub, host="nobody-nothing.hf.space")
    assert answer.status == 404
    assert "nobody-nothing.hf.space" in answer.body


def test_gradio_protocol_paths_are_501_naming_the_path(hub: FakeHub) -> None:
    running(hub)
    for path in ("/config", "/gradio_api/queue/join", "/queue/join", "/upload", "/info"):
        answer = serve(hub, path, method="POST")
        assert answer.status == 501, path
        assert f"POST {path}" in answer.body
    assert serve(hub, "/config").status == 501


def test_other_sdks_have_no_gradio_protocol(hub: FakeHub) -> None:
    running(
        hub,
        sdk="docker",
        files={"Dockerfile": b"FROM python\n", "README.md": b"---\nsdk: docker\n---\n"},
    )
    assert serve(hub, "/config").status == 200


def test_scripted_answers_per_path(hub: FakeHub) -> None:
    running(hub)
    hub.spaces.script(
        "fakeuser/demo",
        app={
            "/health": AppRoute(503, (("X-Why", "warming"),), "not yet", 0.25),
            "/config": AppRoute(200, (("Content-Type", "application/json"),), '{"a": 1}'),
        },
    )
    health = serve(hub, "/health")
    assert (health.status, health.body, health.latency) == (503, "not yet", 0.25)
    assert ("X-Why", "warming") in health.headers
    config = serve(hub, "/config")
    assert (config.status, config.content_type, config.body) == (
        200,
        "application/json",
        '{"a": 1}',
    )
    assert serve(hub, "/other").status == 200


def test_scripted_answers_only_while_an_app_serves(hub: FakeHub) -> None:
    add_space(hub)
    hub.spaces.script("fakeuser/demo", app={"/health": AppRoute(200, (), "ok")})
    hub.spaces.place("fakeuser/demo", S.BUILDING)
    assert serve(hub, "/health").status == 503


@pytest.mark.parametrize(
    ("app", "message"),
    [
        ({"health": AppRoute()}, "must start with '/'"),
        ({"/h": AppRoute(status=99)}, "not an HTTP status"),
        ({"/h": AppRoute(latency=-1)}, "latency"),
    ],
)
def test_bad_scripts_are_refused_and_change_nothing(
    hub: FakeHub, app: dict[str, AppRoute], message: str
) -> None:
    space = running(hub)
    before = space.script
    with pytest.raises(BadRequest, match=message):
        hub.spaces.script("fakeuser/demo", app=app)
    assert space.script == before
