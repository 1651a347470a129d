from __future__ import annotations

import pytest

from fakehub import FakeHub, HubConfig
from fakehub.config import TokenSpec, UserSpec
from fakehub.domain.accounts import Plan
from fakehub.domain.catalogue import space_flavor
from fakehub.domain.errors import BadRequest, PaymentRequired
from fakehub.domain.spaces import rules
from fakehub.domain.spaces.card import app_file_for, parse_card
from fakehub.domain.volumes import Volume


def test_card_front_matter() -> None:
    card = parse_card(b"---\ntitle: Demo\nsdk: gradio\napp_file: main.py\n---\n# Demo\n")
    assert card.error is None
    assert (card.sdk, card.app_file) == ("gradio", "main.py")
    assert app_file_for("gradio", card) == "main.py"
    assert app_file_for("streamlit", parse_card(None)) == "app.py"
    assert app_file_for("docker", card) == "Dockerfile"
    assert app_file_for("static", card) is None


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        (b"---\nsdk: [\n---\n", "Invalid YAML"),
        (b"---\n- a\n- b\n---\n", "mapping"),
        (b"---\nsdk: rails\n---\n", "Invalid sdk"),
        (b"---\napp_file: 3\n---\n", "app_file"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_broken_front_matter_is_a_config_error(readme: bytes, message: str) -> None:
    error = parse_card(readme).error
    assert error is not None and message in error


def test_readme_without_front_matter_is_fine() -> None:
    assert parse_card(b"# just text\n").error is None


def test_flavor_and_storage_validation_name_the_field() -> None:
    assert rules.validate_flavor("t4-small").name == "t4-small"
    with pytest.raises(BadRequest, match="flavor: unknown hardware flavor 'tpu'"):
        rules.validate_flavor("tpu")
    with pytest.raises(BadRequest, match="tier: unknown storage tier"):
        rules.validate_storage("huge")
    with pytest.raises(BadRequest, match="sleep time"):
        rules.validate_sleep_time(0)
    assert rules.validate_sleep_time(-1) == -1


def test_payment_rules() -> None:
    hub = FakeHub(
        HubConfig(
            users=(
                UserSpec("broke", tokens=(TokenSpec("hf_b"),), plan=Plan.NO_PAYMENT_METHOD),
                UserSpec("pro", tokens=(TokenSpec("hf_p"),), plan=Plan.PRO),
            ),
            orgs=(),
        )
    )
    accounts = hub.ctx.accounts
    t4 = space_flavor("t4-small")
    cpu = space_flavor("cpu-basic")
    zero = space_flavor("zero-a10g")
    assert t4 and cpu and zero
    with pytest.raises(PaymentRequired, match="payment method"):
        rules.check_can_pay(accounts, "broke", t4)
    rules.check_can_pay(accounts, "broke", cpu)
    rules.check_can_pay(accounts, "pro", zero)
    with pytest.raises(PaymentRequired, match="PRO"):
        rules.check_can_pay(accounts, "broke", zero)


def test_volume_rules() -> None:
    ok = Volume("bucket", "alice/b", "/data", read_only=False)
    rules.validate_volumes([ok, Volume("model", "alice/m", "/m")])
    with pytest.raises(BadRequest, match="mounted twice"):
        rules.validate_volumes([ok, ok])
    with pytest.raises(BadRequest, match="read-only"):
        rules.validate_volume(Volume("model", "a/m", "/m", read_only=False))
    with pytest.raises(BadRequest, match="absolute"):
        rules.validate_volume(Volume("bucket", "a/b", "data"))
    with pytest.raises(BadRequest, match="volume type"):
        rules.validate_volume(Volume("disk", "a/b", "/d"))


@pytest.mark.parametrize("name", ["", "-x", "a b", "x" * 97, "a..b", "a.git", "ok."])
def test_repo_names(name: str) -> None:
    with pytest.raises(BadRequest, match="invalid repo name"):
        rules.validate_repo_name(name)
