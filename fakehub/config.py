"""How a hub starts: seed, clock, policies and the accounts it knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fakehub.clock import DEFAULT_START_NS, ClockMode
from fakehub.domain.accounts import Accounts, Org, OrgRole, Plan, Token, TokenRole, User
from fakehub.ids import IdFactory
from fakehub.machines.policy import Policy
from fakehub.storage.blobs import DEFAULT_MAX_STORAGE_BYTES

DEFAULT_USER = "fakeuser"
DEFAULT_ORG = "fakeorg"
DEFAULT_WRITE_TOKEN = "hf_fake_write"
DEFAULT_READ_TOKEN = "hf_fake_read"

#: Largest request body accepted (bytes). The Hub's own limit for regular commit files is 10 MB.
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class TokenSpec:
    value: str
    role: TokenRole = "write"
    name: str = ""


@dataclass(frozen=True)
class UserSpec:
    name: str
    tokens: tuple[TokenSpec, ...] = ()
    plan: Plan = Plan.FREE
    fullname: str = ""
    email: str = ""


@dataclass(frozen=True)
class OrgSpec:
    name: str
    members: tuple[tuple[str, OrgRole], ...] = ()
    plan: Plan = Plan.FREE
    fullname: str = ""


def default_users() -> tuple[UserSpec, ...]:
    return (
        UserSpec(
            name=DEFAULT_USER,
            fullname="Fake User",
            email="fakeuser@example.com",
            tokens=(
                TokenSpec(DEFAULT_WRITE_TOKEN, "write", "fakehub-write"),
                TokenSpec(DEFAULT_READ_TOKEN, "read", "fakehub-read"),
            ),
        ),
    )


def default_orgs() -> tuple[OrgSpec, ...]:
    return (OrgSpec(name=DEFAULT_ORG, fullname="Fake Org", members=((DEFAULT_USER, "admin"),)),)


@dataclass(frozen=True)
class HubConfig:
    seed: int = 0
    start_ns: int = DEFAULT_START_NS
    clock_mode: ClockMode = "manual"
    clock_speed: float = 1.0
    space_policy: Policy = field(default_factory=Policy)
    job_policy: Policy = field(default_factory=Policy)
    users: tuple[UserSpec, ...] = field(default_factory=default_users)
    orgs: tuple[OrgSpec, ...] = field(default_factory=default_orgs)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    #: Total size of stored LFS objects and Xet xorbs (bytes); past it uploads get a 413.
    max_storage_bytes: int = DEFAULT_MAX_STORAGE_BYTES
    #: Keep uploaded objects in this directory instead of memory (emptied at start and reset).
    storage_dir: Path | None = None


def accounts_from(cfg: HubConfig) -> Accounts:
    """The users, orgs and tokens a hub built from ``cfg`` starts with (ids from the seed)."""
    ids = IdFactory(cfg.seed ^ 0x5EED)  # a separate stream, so account ids never shift others
    accounts = Accounts()
    for spec in cfg.users:
        accounts.add_user(
            User(
                name=spec.name,
                id=ids.object_id(),
                fullname=spec.fullname or spec.name,
                email=spec.email or f"{spec.name}@example.com",
                plan=spec.plan,
                avatar_url=f"/avatars/{spec.name}.svg",
            )
        )
        for index, token in enumerate(spec.tokens):
            accounts.add_token(
                Token(token.value, spec.name, token.role, token.name or f"{spec.name}-{index}")
            )
    for org_spec in cfg.orgs:
        accounts.add_org(
            Org(
                name=org_spec.name,
                id=ids.object_id(),
                fullname=org_spec.fullname or org_spec.name,
                members=dict(org_spec.members),
                plan=org_spec.plan,
            )
        )
    return accounts
