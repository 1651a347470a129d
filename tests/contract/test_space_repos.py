"""Space repositories driven by the real client: create, delete, info, list, settings, move,
duplicate, and the 2.4.0 CLI."""

from __future__ import annotations

import json

import pytest

from fakehub.server import ServerThread
from tests.clients.driver import ClientError, ClientWorker

CREATE = {"repo_type": "space", "space_sdk": "gradio"}


def _error(fn: object, *args: object, **kwargs: object) -> ClientError:
    with pytest.raises(ClientError) as caught:
        fn(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def test_create_repo_returns_the_space_url_and_info_shows_a_fresh_space(
    hf: ClientWorker, live: ServerThread
) -> None:
    url = hf.call("create_repo", "fakeuser/demo", **CREATE)
    assert url == f"{live.url}/spaces/fakeuser/demo"
    info = hf.call("space_info", "fakeuser/demo")
    assert info["id"] == "fakeuser/demo"
    assert info["sdk"] == "gradio"
    assert info["private"] is False
    assert [s["rfilename"] for s in info["siblings"]] == [".gitattributes", "README.md"]
    card = hf.exec("result = api.space_info('fakeuser/demo').card_data.to_dict()")
    assert card["sdk"] == "gradio" and card["app_file"] == "app.py"
    assert info["runtime"]["stage"] == "NO_APP_FILE"
    assert info["sha"] == live.hub.space_store.get("fakeuser/demo").sha  # type: ignore[union-attr]


def test_create_repo_conflict_and_exist_ok(hf: ClientWorker, live: ServerThread) -> None:
    hf.call("create_repo", "fakeuser/demo", **CREATE)
    error = _error(hf.call, "create_repo", "fakeuser/demo", **CREATE)
    assert error.status == 409
    assert "You already created this space repo" in (error.server_message or "")
    assert hf.call("create_repo", "fakeuser/demo", exist_ok=True, **CREATE) == (
        f"{live.url}/spaces/fakeuser/demo"
    )


def test_create_repo_with_space_options(hf: ClientWorker, live: ServerThread) -> None:
    hf.call(
        "create_repo",
        "fakeorg/options",
        private=True,
        space_hardware="t4-small",
        space_secrets=[{"key": "TOKEN", "value": "s3cret"}],
        space_variables=[{"key": "MODE", "value": "fast", "description": "speed"}],
        **CREATE,
    )
    info = hf.call("space_info", "fakeorg/options")
    assert info["private"] is True
    assert info["runtime"]["requested_hardware"] == "t4-small"
    variables = hf.call("get_space_variables", "fakeorg/options")
    assert variables["MODE"]["value"] == "fast"
    assert variables["MODE"]["description"] == "speed"
    space = live.hub.space_store.get("fakeorg/options")
    assert space is not None and space.secrets["TOKEN"].value == "s3cret"


def test_bad_hardware_is_a_bad_request_naming_the_field(hf: ClientWorker) -> None:
    error = _error(hf.call, "create_repo", "fakeuser/demo", space_hardware="h9000", **CREATE)
    assert error.is_a("BadRequestError")
    assert "hardware: unknown hardware flavor 'h9000'" in (error.server_message or "")
    assert _error(hf.call, "space_info", "fakeuser/demo").is_a("RepositoryNotFoundError")


def test_read_token_cannot_create(hf: ClientWorker) -> None:
    error = _error(
        hf.exec,
        "result = HfApi(token='hf_fake_read').create_repo('fakeuser/demo', repo_type='space', "
        "space_sdk='static')",
    )
    assert error.is_a("HfHubHTTPError") and error.status == 403
    assert "read-only" in (error.server_message or "")


def test_model_repos_are_not_implemented(hf: ClientWorker) -> None:
    error = _error(hf.call, "create_repo", "fakeuser/model")
    assert error.status == 501
    assert "Spaces only" in (error.server_message or "")


def test_delete_repo_and_missing_ok(hf: ClientWorker) -> None:
    hf.call("create_repo", "fakeuser/demo", **CREATE)
    hf.call("delete_repo", "fakeuser/demo", repo_type="space")
    assert _error(hf.call, "space_info", "fakeuser/demo").is_a("RepositoryNotFoundError")
    error = _error(hf.call, "delete_repo", "fakeuser/demo", repo_type="space")
    assert error.is_a("RepositoryNotFoundError")
    hf.call("delete_repo", "fakeuser/demo", repo_type="space", missing_ok=True)


def test_private_space_of_someone_else_is_not_found(hf: ClientWorker, live: ServerThread) -> None:
    hf.call("create_repo", "fakeuser/secret", private=True, **CREATE)
    error = _error(hf.exec, "result = HfApi(token=False).space_info('fakeuser/secret')")
    assert error.is_a("RepositoryNotFoundError")
    assert hf.call("space_info", "fakeuser/secret")["private"] is True


@pytest.mark.clients("0.36.2", "1.28.0", "2.4.0")
def test_space_info_expand_returns_only_those_keys(hf: ClientWorker) -> None:
    hf.call("create_repo", "fakeuser/demo", **CREATE)
    info = hf.call("space_info", "fakeuser/demo", expand=["sdk", "likes"])
    assert info["sdk"] == "gradio" and info["likes"] == 0
    assert info["siblings"] is None and info["runtime"] is None


#: huggingface_hub 2.4.0's test_expand_space_property_type_is_up_to_date, run against the fake in
#: the client's own interpreter: it reads the Hub's 400 for an unknown ``expand`` value.
EXPAND_CHECK = """
import re
from typing import get_args
try:
    api.space_info(repo_id, expand=["does_not_exist"])
    raise Exception("Should have raised an exception")
except hf.utils.HfHubHTTPError as e:
    assert e.response.status_code == 400
    message = e.response.json()["error"]
assert "expected one of " in message
defined_args = set(get_args(hf.hf_api.ExpandSpaceProperty_T))
expected_args = set(re.findall(r'"([^"]+)"', message.split("expected one of ", 1)[1]))
expected_args.discard("gitalyUid")
expected_args.discard("xetEnabled")
result = [message, sorted(defined_args), sorted(expected_args)]
"""


@pytest.mark.clients("0.36.2", "1.28.0", "2.4.0")
def test_the_clients_own_expand_check_reads_the_allowed_values(hf: ClientWorker) -> None:
    hf.call("create_repo", "fakeuser/demo", **CREATE)
    message, defined, listed = hf.exec(EXPAND_CHECK, repo_id="fakeuser/demo")
    assert message.startswith('✖ Invalid option: expected one of "author"|"cardData"|')
    assert message.endswith("\n  → at expand[0]")
    if hf.major >= 1:
        assert defined == listed  # the client's Literal is "up to date" with the fake
    else:
        assert set(defined) - {"xetEnabled"} <= set(listed)  # 0.36 predates `region`


def _space_with_card(hf: ClientWorker, repo_id: str, front_matter: str) -> None:
    hf.call("create_repo", repo_id, **CREATE)
    readme = f"---\ntitle: T\nsdk: gradio\n{front_matter}---\n"
    hf.exec(
        "result = api.upload_file(path_or_fileobj=readme.encode(), path_in_repo='README.md',"
        " repo_id=repo_id, repo_type='space')",
        readme=readme,
        repo_id=repo_id,
    )


def test_list_spaces_by_linked_models_and_datasets(hf: ClientWorker) -> None:
    _space_with_card(hf, "fakeuser/asr", "models:\n- openai/whisper-small\n")
    _space_with_card(hf, "fakeuser/qa", "models: openai/whisper-small\ndatasets:\n- squad\n")
    _space_with_card(hf, "fakeuser/plain", "")

    def ids(**filters: object) -> list[str]:
        return [s["id"] for s in hf.call("list_spaces", **filters)]

    assert ids(models="openai/whisper-small") == ["fakeuser/asr", "fakeuser/qa"]
    assert ids(datasets="squad") == ["fakeuser/qa"]
    assert ids(models="openai/whisper-small", datasets="squad") == ["fakeuser/qa"]
    assert ids(linked=True) == ["fakeuser/asr", "fakeuser/qa"]
    assert ids(models="someone/else") == []
    info = hf.call("space_info", "fakeuser/qa")
    assert (info["models"], info["datasets"]) == (["openai/whisper-small"], ["squad"])
    full = hf.call("list_spaces", datasets="squad", full=True)
    assert [(s["models"], s["datasets"]) for s in full] == [(["openai/whisper-small"], ["squad"])]


def test_a_list_filter_the_fake_cannot_honour_is_refused_by_name(hf: ClientWorker) -> None:
    error = _error(
        hf.exec,
        "result = list(hf.utils.paginate(f'{api.endpoint}/api/spaces', params={'config': True},"
        " headers=api._build_hf_headers()))",
    )
    assert error.is_a("BadRequestError") and error.status == 400
    assert (error.server_message or "").startswith("config: fakehub cannot honour")


def test_space_info_at_an_unknown_revision(hf: ClientWorker) -> None:
    hf.call("create_repo", "fakeuser/demo", **CREATE)
    error = _error(hf.call, "space_info", "fakeuser/demo", revision="nope")
    assert error.is_a("RevisionNotFoundError")


def test_list_spaces_filters_and_follows_pagination(hf: ClientWorker, live: ServerThread) -> None:
    hub = live.hub
    actor = hub.ctx.accounts.authenticate("Bearer hf_fake_write")
    from fakehub.domain.spaces.options import SpaceOptions

    for index in range(105):  # more than one page of 100
        hub.repos.create(
            actor,
            name=f"app-{index:03d}",
            organization=None,
            sdk="static",
            visibility=None,
            options=SpaceOptions(),
            endpoint=live.url,
        )
    hub.repos.create(
        actor,
        name="other",
        organization="fakeorg",
        sdk="gradio",
        visibility="private",
        options=SpaceOptions(),
        endpoint=live.url,
    )
    mine = hf.exec("result = [s.id for s in api.list_spaces(author='fakeuser')]")
    assert len(mine) == 105 and len(set(mine)) == 105
    assert hf.exec("result = [s.id for s in api.list_spaces(search='app-10')]") == [
        f"fakeuser/app-10{i}" for i in range(5)
    ]
    assert len(hf.exec("result = list(api.list_spaces(limit=3))")) == 3
    everything = hf.exec("result = [s.id for s in api.list_spaces()]")
    assert "fakeorg/other" in everything
    anonymous = hf.exec("result = [s.id for s in HfApi(token=False).list_spaces()]")
    assert "fakeorg/other" not in anonymous and len(anonymous) == 105


def _set_private(hf: ClientWorker, repo_id: str) -> None:
    if hf.label == "0.20.3":
        hf.call("update_repo_visibility", repo_id, private=True, repo_type="space")
    elif hf.label == "0.36.2":
        hf.call("update_repo_settings", repo_id, private=True, repo_type="space")
    else:
        hf.call("update_repo_settings", repo_id, visibility="private", repo_type="space")


def test_update_visibility(hf: ClientWorker) -> None:
    hf.call("create_repo", "fakeuser/demo", **CREATE)
    _set_private(hf, "fakeuser/demo")
    assert hf.call("space_info", "fakeuser/demo")["private"] is True
    error = _error(hf.exec, "result = HfApi(token=False).space_info('fakeuser/demo')")
    assert error.is_a("RepositoryNotFoundError")


def test_move_repo(hf: ClientWorker) -> None:
    hf.call("create_repo", "fakeuser/old", **CREATE)
    hf.call("move_repo", "fakeuser/old", "fakeorg/new", repo_type="space")
    assert hf.call("space_info", "fakeorg/new")["id"] == "fakeorg/new"
    assert _error(hf.call, "space_info", "fakeuser/old").is_a("RepositoryNotFoundError")


DUPLICATE = """
if hasattr(api, "duplicate_repo"):
    result = api.duplicate_repo(source, to_id, repo_type="space", **kwargs)
else:
    result = api.duplicate_space(source, to_id, **kwargs)
result = str(result)
"""


def test_duplicate_copies_files_and_variables(hf: ClientWorker, live: ServerThread) -> None:
    hf.call("create_repo", "fakeuser/source", private=True, **CREATE)
    hf.call("add_space_variable", "fakeuser/source", "MODE", "fast")
    url = hf.exec(DUPLICATE, source="fakeuser/source", to_id="fakeorg/copy", kwargs={})
    assert url == f"{live.url}/spaces/fakeorg/copy"
    copy = hf.call("space_info", "fakeorg/copy")
    source = hf.call("space_info", "fakeuser/source")
    assert copy["private"] is True  # the source's visibility by default
    assert copy["sha"] == source["sha"]
    assert [s["rfilename"] for s in copy["siblings"]] == [".gitattributes", "README.md"]
    assert hf.call("get_space_variables", "fakeorg/copy")["MODE"]["value"] == "fast"
    error = _error(hf.exec, DUPLICATE, source="fakeuser/source", to_id="fakeorg/copy", kwargs={})
    assert error.status == 409
    same = hf.exec(
        DUPLICATE, source="fakeuser/source", to_id="fakeorg/copy", kwargs={"exist_ok": True}
    )
    assert same == url


def test_duplicate_unknown_source(hf: ClientWorker) -> None:
    error = _error(hf.exec, DUPLICATE, source="fakeuser/nope", to_id="fakeuser/x", kwargs={})
    assert error.is_a("RepositoryNotFoundError")


@pytest.mark.clients("2.4.0")
def test_cli_create_info_list_duplicate_delete(hf: ClientWorker) -> None:
    created = hf.cli("repos", "create", "fakeuser/cli-space", "--type", "space", "--sdk", "gradio")
    assert created.returncode == 0, created.stderr
    assert "fakeuser/cli-space" in created.stdout
    info = hf.cli("spaces", "info", "fakeuser/cli-space", "--format", "json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["sdk"] == "gradio"
    listed = hf.cli("spaces", "ls", "--author", "fakeuser", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [s["id"] for s in json.loads(listed.stdout)] == ["fakeuser/cli-space"]
    duplicated = hf.cli(
        "repos", "duplicate", "fakeuser/cli-space", "fakeorg/cli-copy", "--type", "space"
    )
    assert duplicated.returncode == 0, duplicated.stderr
    deleted = hf.cli("repos", "delete", "fakeorg/cli-copy", "--type", "space", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    missing = hf.cli("spaces", "info", "fakeorg/cli-copy")
    assert missing.returncode != 0
    assert "not found" in (missing.stderr + missing.stdout)
