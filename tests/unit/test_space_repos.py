"""SpaceRepos without HTTP: create, delete, move, settings, info, list, duplicate."""

from __future__ import annotations

from typing import Any

import pytest

from fakehub import FakeHub
from fakehub.domain.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    PaymentRequired,
    RepoNotFound,
    RevisionNotFound,
    Unauthorized,
)
from fakehub.domain.spaces.card import parse_card
from fakehub.domain.spaces.listing import SpaceQuery, SpaceView
from fakehub.domain.spaces.options import KeyValueInput, SpaceOptions
from fakehub.domain.spaces.records import SpaceStage
from fakehub.domain.volumes import Volume
from tests.space_factory import actor_for

ENDPOINT = "http://fake.test"


def _create(hub: FakeHub, name: str = "demo", **kwargs: Any) -> Any:
    args: dict[str, Any] = {
        "organization": None,
        "sdk": "gradio",
        "visibility": None,
        "options": SpaceOptions(),
        "endpoint": ENDPOINT,
    }
    args.update(kwargs)
    actor = args.pop("actor") if "actor" in args else actor_for(hub)
    return hub.repos.create(actor, name=name, **args)


def _ids(view: SpaceView) -> str:
    return view.space.repo_id


def test_create_writes_the_initial_commit_and_waits_for_an_app_file(hub: FakeHub) -> None:
    space = _create(hub)
    assert space.repo_id == "fakeuser/demo"
    assert sorted(space.files) == [".gitattributes", "README.md"]
    assert [c.title for c in space.commits] == ["initial commit"]
    assert space.commits[0].tree == space.files
    card = parse_card(space.files["README.md"])
    assert card.error is None and card.sdk == "gradio" and card.app_file == "app.py"
    assert b"*.bin filter=lfs diff=lfs merge=lfs -text" in space.files[".gitattributes"]
    assert space.stage is SpaceStage.NO_APP_FILE
    assert space.requested_hardware == "cpu-basic"


def test_static_spaces_get_a_page_and_a_stylesheet(hub: FakeHub) -> None:
    space = _create(hub, sdk="static")
    assert sorted(space.files) == [".gitattributes", "README.md", "index.html", "style.css"]
    assert space.requested_hardware is None


def test_create_applies_every_option(hub: FakeHub) -> None:
    options = SpaceOptions(
        hardware="t4-small",
        storage="small",
        sleep_time=600,
        secrets=(KeyValueInput("TOKEN", "s"),),
        variables=(KeyValueInput("MODE", "fast", "d"),),
        volumes=(Volume("bucket", "fakeuser/b", "/data"),),
        resource_group_id="a" * 24,
        region="eu",
    )
    space = _create(hub, organization="fakeorg", visibility="protected", options=options)
    assert space.repo_id == "fakeorg/demo" and space.visibility == "protected"
    assert space.requested_hardware == "t4-small" and space.storage == "small"
    assert space.sleep_time == 600
    assert space.secrets["TOKEN"].value == "s"
    assert space.variables["MODE"].description == "d"
    assert space.volumes == [Volume("bucket", "fakeuser/b", "/data")]
    assert (space.resource_group_id, space.region) == ("a" * 24, "eu")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sdk": None}, "sdk: required"),
        ({"sdk": "flask"}, "sdk: invalid sdk 'flask'"),
        ({"name": "bad name"}, "name: invalid repo name"),
        ({"options": SpaceOptions(hardware="h9000")}, "hardware: unknown hardware flavor"),
        ({"options": SpaceOptions(sleep_time=0)}, "sleepTimeSeconds"),
        ({"options": SpaceOptions(storage="huge")}, "storageTier"),
        ({"options": SpaceOptions(secrets=(KeyValueInput("1X", "v"),))}, "secrets[0].key"),
        (
            {"options": SpaceOptions(variables=(KeyValueInput("A", "1"), KeyValueInput("A", "2")))},
            "variables: duplicate key 'A'",
        ),
        ({"options": SpaceOptions(region="mars")}, "region: invalid region"),
        ({"options": SpaceOptions(resource_group_id="x")}, "resourceGroupId"),
        ({"options": SpaceOptions(hardware="zero-a10g"), "sdk": "docker"}, "requires the gradio"),
    ],
)
def test_invalid_create_is_refused_and_changes_nothing(
    hub: FakeHub, kwargs: dict[str, Any], message: str
) -> None:
    name = kwargs.pop("name", "demo")
    with pytest.raises(BadRequest) as caught:
        _create(hub, name, **kwargs)
    assert message in caught.value.message
    assert list(hub.space_store) == []


def test_create_conflict_carries_the_url_and_ignores_case(hub: FakeHub) -> None:
    _create(hub)
    with pytest.raises(Conflict) as caught:
        _create(hub, "Demo")
    assert caught.value.extra == {"url": f"{ENDPOINT}/spaces/fakeuser/Demo"}
    assert len(list(hub.space_store)) == 1


def test_create_needs_a_write_token_on_the_namespace(hub: FakeHub) -> None:
    with pytest.raises(Unauthorized):
        _create(hub, actor=None, organization="fakeuser")
    with pytest.raises(Forbidden, match="read-only"):
        _create(hub, actor=actor_for(hub, "hf_fake_read"))
    with pytest.raises(Forbidden, match="someone-else"):
        _create(hub, organization="someone-else")
    assert list(hub.space_store) == []


def test_paid_hardware_without_a_payment_method_is_402() -> None:
    from fakehub import HubConfig
    from fakehub.config import TokenSpec, UserSpec
    from fakehub.domain.accounts import Plan

    hub = FakeHub(
        HubConfig(users=(UserSpec("poor", (TokenSpec("hf_poor"),), Plan.NO_PAYMENT_METHOD),))
    )
    with pytest.raises(PaymentRequired):
        _create(hub, actor=actor_for(hub, "hf_poor"), options=SpaceOptions(hardware="t4-small"))
    assert _create(hub, actor=actor_for(hub, "hf_poor")).repo_id == "poor/demo"


def test_delete_and_unknown(hub: FakeHub) -> None:
    _create(hub)
    with pytest.raises(Forbidden):
        hub.repos.delete(actor_for(hub, "hf_fake_read"), "fakeuser/demo")
    hub.repos.delete(actor_for(hub), "fakeuser/demo")
    assert hub.space_store.get("fakeuser/demo") is None
    with pytest.raises(RepoNotFound):
        hub.repos.delete(actor_for(hub), "fakeuser/demo")


def test_move_renames_and_refuses_taken_names(hub: FakeHub) -> None:
    space = _create(hub)
    _create(hub, "taken", organization="fakeorg")
    with pytest.raises(Conflict):
        hub.repos.move(actor_for(hub), "fakeuser/demo", "fakeorg/taken")
    with pytest.raises(BadRequest, match="toRepo"):
        hub.repos.move(actor_for(hub), "fakeuser/demo", "no-namespace")
    moved = hub.repos.move(actor_for(hub), "fakeuser/demo", "fakeorg/renamed")
    assert moved is space and space.repo_id == "fakeorg/renamed"
    assert hub.space_store.get("fakeuser/demo") is None
    assert hub.space_store.get("fakeorg/renamed") is space


def test_settings_change_visibility_and_gating(hub: FakeHub) -> None:
    _create(hub)
    space = hub.repos.update_settings(
        actor_for(hub), "fakeuser/demo", visibility="private", gated="manual"
    )
    assert space.private and space.gated == "manual"
    with pytest.raises(RepoNotFound):  # now invisible to anonymous callers
        hub.repos.info(None, "fakeuser/demo", _ids)


def test_info_reads_main_or_a_commit_of_its_history(hub: FakeHub) -> None:
    space = _create(hub)
    first = space.sha
    assert first is not None
    view = hub.repos.info(None, "fakeuser/demo", lambda v: v)
    assert view.commit.oid == first and view.is_head
    old = hub.repos.info(None, "fakeuser/demo", lambda v: v, revision=first[:7])
    assert old.commit.oid == first
    with pytest.raises(RevisionNotFound, match="Invalid rev id: dev"):
        hub.repos.info(None, "fakeuser/demo", _ids, revision="dev")


def test_list_filters_sorts_pages_and_hides_private_spaces(hub: FakeHub) -> None:
    for name in ("alpha", "beta", "gamma"):
        _create(hub, name)
        hub.advance(10)
    _create(hub, "hidden", organization="fakeorg", visibility="private", sdk="static")
    everyone, more = hub.repos.list(None, SpaceQuery(), _ids)
    assert everyone == ["fakeuser/alpha", "fakeuser/beta", "fakeuser/gamma"] and not more
    newest, more = hub.repos.list(actor_for(hub), SpaceQuery(sort="createdAt", limit=2), _ids)
    assert newest == ["fakeorg/hidden", "fakeuser/gamma"] and more
    page2, more = hub.repos.list(
        actor_for(hub), SpaceQuery(sort="createdAt", offset=2, limit=2), _ids
    )
    assert page2 == ["fakeuser/beta", "fakeuser/alpha"] and not more
    assert hub.repos.list(None, SpaceQuery(search="ET"), _ids)[0] == ["fakeuser/beta"]
    assert hub.repos.list(actor_for(hub), SpaceQuery(filters=("static",)), _ids)[0] == [
        "fakeorg/hidden"
    ]
    assert hub.repos.list(actor_for(hub), SpaceQuery(author="fakeorg"), _ids)[0] == [
        "fakeorg/hidden"
    ]
    with pytest.raises(BadRequest, match="sort"):
        hub.repos.list(None, SpaceQuery(sort="downloads"), _ids)


def test_duplicate_copies_history_and_variables_but_not_secrets(hub: FakeHub) -> None:
    options = SpaceOptions(
        hardware="t4-small",
        secrets=(KeyValueInput("TOKEN", "s"),),
        variables=(KeyValueInput("MODE", "fast"),),
    )
    source = _create(hub, visibility="private", options=options)
    hub.advance(60)
    copy = hub.repos.duplicate(
        actor_for(hub),
        "fakeuser/demo",
        "fakeorg/copy",
        visibility=None,
        options=SpaceOptions(secrets=(KeyValueInput("OTHER", "x"),)),
        endpoint=ENDPOINT,
    )
    assert copy.visibility == "private" and copy.duplicated_from == "fakeuser/demo"
    assert copy.commits == source.commits and copy.files == source.files
    assert copy.files is not source.files
    assert copy.variables["MODE"].value == "fast"
    assert copy.variables["MODE"].updated_at_ns == hub.now()
    assert set(copy.secrets) == {"OTHER"}
    assert copy.requested_hardware == "cpu-basic"  # paid hardware only when asked for
    assert copy.id != source.id


def test_duplicate_refusals_change_nothing(hub: FakeHub) -> None:
    _create(hub)
    _create(hub, "copy", organization="fakeorg")

    def duplicate(to_id: str, **kwargs: Any) -> Any:
        args: dict[str, Any] = {"visibility": None, "options": SpaceOptions(), "endpoint": ENDPOINT}
        args.update(kwargs)
        actor = args.pop("actor") if "actor" in args else actor_for(hub)
        return hub.repos.duplicate(actor, "fakeuser/demo", to_id, **args)

    with pytest.raises(Conflict) as caught:
        duplicate("fakeorg/copy")
    assert caught.value.extra["url"] == f"{ENDPOINT}/spaces/fakeorg/copy"
    with pytest.raises(BadRequest, match="repository"):
        duplicate("copy-without-namespace")
    with pytest.raises(BadRequest, match="hardware"):
        duplicate("fakeuser/x", options=SpaceOptions(hardware="nope"))
    with pytest.raises(Forbidden):
        duplicate("fakeuser/x", actor=actor_for(hub, "hf_fake_read"))
    with pytest.raises(RepoNotFound):
        hub.repos.duplicate(
            None,
            "fakeuser/nope",
            "fakeuser/x",
            visibility=None,
            options=SpaceOptions(),
            endpoint="",
        )
    assert sorted(s.repo_id for s in hub.space_store) == ["fakeorg/copy", "fakeuser/demo"]


def test_auth_check(hub: FakeHub) -> None:
    _create(hub, visibility="private")
    hub.repos.auth_check(actor_for(hub), "fakeuser/demo", write=True)
    hub.repos.auth_check(actor_for(hub, "hf_fake_read"), "fakeuser/demo", write=False)
    with pytest.raises(Forbidden):
        hub.repos.auth_check(actor_for(hub, "hf_fake_read"), "fakeuser/demo", write=True)
    with pytest.raises(RepoNotFound):
        hub.repos.auth_check(None, "fakeuser/demo", write=False)
