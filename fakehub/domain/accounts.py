"""Users, organisations, tokens and who may do what to which namespace."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from fakehub.domain.errors import Forbidden, Unauthorized

TokenRole = Literal["read", "write"]
OrgRole = Literal["admin", "write", "contributor", "read"]

INVALID_CREDENTIALS = "Invalid credentials in Authorization header"


class Plan(str, Enum):
    FREE = "free"  # has a payment method on file: may buy paid hardware
    PRO = "pro"
    NO_PAYMENT_METHOD = "no-payment-method"


@dataclass
class User:
    name: str
    id: str
    fullname: str
    email: str
    plan: Plan = Plan.FREE
    avatar_url: str = ""

    @property
    def is_pro(self) -> bool:
        return self.plan is Plan.PRO

    @property
    def can_pay(self) -> bool:
        return self.plan is not Plan.NO_PAYMENT_METHOD


@dataclass
class Org:
    name: str
    id: str
    fullname: str
    #: member name -> role in the org
    members: dict[str, OrgRole] = field(default_factory=dict)
    plan: Plan = Plan.FREE

    @property
    def can_pay(self) -> bool:
        return self.plan is not Plan.NO_PAYMENT_METHOD


@dataclass(frozen=True)
class Token:
    value: str
    user: str
    role: TokenRole
    display_name: str


@dataclass(frozen=True)
class Actor:
    """Who is calling: the user behind the token, and what the token allows."""

    user: User
    role: TokenRole

    @property
    def name(self) -> str:
        return self.user.name


@dataclass(frozen=True)
class Identity:
    """What ``whoami`` answers: the caller, their orgs with their role in each, the token used."""

    user: User
    orgs: tuple[tuple[Org, str], ...]
    token: Token
    #: when the token was made (the hub's start: tokens exist from the beginning)
    created_at: int


class Accounts:
    """The registry of users, orgs and tokens, with the permission rules."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.orgs: dict[str, Org] = {}
        self.tokens: dict[str, Token] = {}
        #: the actor last built per token value, reused while its user and role are the same
        #: (every request authenticates; a frozen record costs more to build than to check)
        self._actors: dict[str, Actor] = {}

    def add_user(self, user: User) -> User:
        self.users[user.name] = user
        return user

    def add_org(self, org: Org) -> Org:
        self.orgs[org.name] = org
        return org

    def add_token(self, token: Token) -> Token:
        self.tokens[token.value] = token
        return token

    # -- authentication -------------------------------------------------------------------------

    def authenticate(self, authorization: str | None) -> Actor | None:
        """The caller behind an ``Authorization`` header; ``None`` when anonymous.

        A header that is present but malformed or names an unknown token is refused, as the Hub
        refuses it: silently treating it as anonymous would hide a broken test set-up.
        """
        if not authorization:
            return None
        scheme, _, value = authorization.partition(" ")
        token = self.tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        user = self.users.get(token.user) if token is not None else None
        if token is None or user is None:
            raise Unauthorized(INVALID_CREDENTIALS)
        actor = self._actors.get(token.value)
        if actor is None or actor.user is not user or actor.role != token.role:
            actor = self._actors[token.value] = Actor(user=user, role=token.role)
        return actor

    def token_for(self, value: str) -> Token | None:
        return self.tokens.get(value)

    # -- authorisation --------------------------------------------------------------------------

    def namespace_exists(self, namespace: str) -> bool:
        return namespace in self.users or namespace in self.orgs

    def can_read_namespace(self, actor: Actor | None, namespace: str) -> bool:
        """May see private things in ``namespace`` (its owner, or any member of the org)."""
        if actor is None:
            return False
        if actor.name == namespace:
            return True
        org = self.orgs.get(namespace)
        return org is not None and actor.name in org.members

    def can_write_namespace(self, actor: Actor | None, namespace: str) -> bool:
        """May change things in ``namespace``: its owner, or an org member with write rights."""
        if actor is None or actor.role != "write":
            return False
        if actor.name == namespace:
            return True
        org = self.orgs.get(namespace)
        return org is not None and org.members.get(actor.name) in ("admin", "write", "contributor")

    def require_write(self, actor: Actor | None, namespace: str, what: str) -> Actor:
        """The write check shared by every mutating route, with the Hub's two failure modes."""
        if actor is None:
            raise Unauthorized(f"You must be authenticated to {what}")
        if actor.role != "write":
            raise Forbidden(
                f"You don't have the rights to {what} in {namespace}: this token is read-only"
            )
        if not self.can_write_namespace(actor, namespace):
            raise Forbidden(f"You don't have the rights to {what} in {namespace}")
        return actor

    def identity(self, actor: Actor, created_at: int) -> Identity:
        """``actor`` with their orgs and the token they used (its first match by role)."""
        user = actor.user
        token = next(
            t for t in self.tokens.values() if t.user == user.name and t.role == actor.role
        )
        orgs = tuple((org, org.members[user.name]) for org in self.orgs_of(user.name))
        return Identity(user, orgs, token, created_at)

    def orgs_of(self, user: str) -> list[Org]:
        return [org for org in self.orgs.values() if user in org.members]

    def plan_of(self, namespace: str) -> Plan:
        if namespace in self.users:
            return self.users[namespace].plan
        if namespace in self.orgs:
            return self.orgs[namespace].plan
        return Plan.FREE

    def owner_kind(self, namespace: str) -> Literal["user", "org"]:
        return "org" if namespace in self.orgs else "user"

    def owner_id(self, namespace: str) -> str:
        if namespace in self.orgs:
            return self.orgs[namespace].id
        return self.users[namespace].id
