from __future__ import annotations

import pytest

from fakehub import FakeHub, HubConfig
from fakehub.config import OrgSpec, TokenSpec, UserSpec
from fakehub.domain.errors import Forbidden, Unauthorized


@pytest.fixture
def team() -> FakeHub:
    return FakeHub(
        HubConfig(
            users=(
                UserSpec("alice", tokens=(TokenSpec("hf_alice"), TokenSpec("hf_alice_ro", "read"))),
                UserSpec("bob", tokens=(TokenSpec("hf_bob"),)),
                UserSpec("carol", tokens=(TokenSpec("hf_carol"),)),
            ),
            orgs=(OrgSpec("acme", members=(("alice", "admin"), ("bob", "read"))),),
        )
    )


def test_authenticate(team: FakeHub) -> None:
    accounts = team.ctx.accounts
    assert accounts.authenticate(None) is None
    actor = accounts.authenticate("Bearer hf_alice")
    assert actor is not None and actor.name == "alice" and actor.role == "write"
    with pytest.raises(Unauthorized, match="Invalid credentials"):
        accounts.authenticate("Bearer hf_unknown")
    with pytest.raises(Unauthorized):
        accounts.authenticate("Basic hf_alice")


def test_namespace_rights(team: FakeHub) -> None:
    accounts = team.ctx.accounts
    alice = accounts.authenticate("Bearer hf_alice")
    alice_ro = accounts.authenticate("Bearer hf_alice_ro")
    bob = accounts.authenticate("Bearer hf_bob")
    carol = accounts.authenticate("Bearer hf_carol")
    assert accounts.can_write_namespace(alice, "acme")
    assert not accounts.can_write_namespace(alice_ro, "acme")
    assert accounts.can_read_namespace(bob, "acme") and not accounts.can_write_namespace(
        bob, "acme"
    )
    assert not accounts.can_read_namespace(carol, "acme")
    assert not accounts.can_write_namespace(alice, "bob")


def test_require_write_distinguishes_anonymous_read_only_and_outsider(team: FakeHub) -> None:
    accounts = team.ctx.accounts
    with pytest.raises(Unauthorized):
        accounts.require_write(None, "acme", "create a space")
    with pytest.raises(Forbidden, match="read-only"):
        accounts.require_write(accounts.authenticate("Bearer hf_alice_ro"), "alice", "x")
    with pytest.raises(Forbidden, match="rights"):
        accounts.require_write(accounts.authenticate("Bearer hf_carol"), "acme", "x")


def test_default_accounts() -> None:
    accounts = FakeHub().ctx.accounts
    assert set(accounts.users) == {"fakeuser"}
    assert accounts.orgs["fakeorg"].members == {"fakeuser": "admin"}
    assert {t.value: t.role for t in accounts.tokens.values()} == {
        "hf_fake_write": "write",
        "hf_fake_read": "read",
    }


def test_ids_are_seeded() -> None:
    first = FakeHub(HubConfig(seed=7)).ctx.accounts.users["fakeuser"].id
    again = FakeHub(HubConfig(seed=7)).ctx.accounts.users["fakeuser"].id
    other = FakeHub(HubConfig(seed=8)).ctx.accounts.users["fakeuser"].id
    assert first == again != other
    assert len(first) == 24 and int(first, 16) >= 0
