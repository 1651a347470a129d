"""Secrets, variables, storage, volumes and dev mode: validate, then change the record.

Each function validates everything first and raises a ``HubError`` before touching the Space,
and returns whether anything changed (a change restarts the app; the service decides how).
Maps and lists are replaced, never mutated in place, so snapshots handed to serialisers stay
consistent.
"""

from __future__ import annotations

from collections.abc import Callable

from fakehub.domain.accounts import Accounts, Plan
from fakehub.domain.catalogue import STORAGE_TIERS
from fakehub.domain.errors import BadRequest, PaymentRequired
from fakehub.domain.spaces import rules
from fakehub.domain.spaces.records import KeyValue, Space
from fakehub.domain.volumes import Volume

_TIER_ORDER = list(STORAGE_TIERS)


def require_not_static(space: Space, what: str) -> None:
    if space.sdk == "static":
        raise BadRequest(f"Cannot {what}: {space.repo_id} is a static Space")


def upsert(
    entries: dict[str, KeyValue],
    key: str,
    value: str,
    description: str | None,
    now_ns: int,
) -> dict[str, KeyValue]:
    """The map with ``key`` set; a description once set is kept when an update omits it."""
    rules.validate_key(key)
    old = entries.get(key)
    if description is None and old is not None:
        description = old.description
    return {**entries, key: KeyValue(key, value, description, now_ns)}


def without(entries: dict[str, KeyValue], key: str) -> dict[str, KeyValue] | None:
    """The map without ``key``, or ``None`` when there was no such key (not an error)."""
    if key not in entries:
        return None
    return {k: v for k, v in entries.items() if k != key}


def request_storage(accounts: Accounts, space: Space, tier: str) -> bool:
    rules.validate_storage(tier)
    if accounts.plan_of(space.namespace) is Plan.NO_PAYMENT_METHOD:
        raise PaymentRequired(
            f"Persistent storage is paid: add a payment method to the billing settings of "
            f"{space.namespace}"
        )
    current = space.storage
    if current == tier:
        return False
    if current is not None and _TIER_ORDER.index(tier) < _TIER_ORDER.index(current):
        raise BadRequest(
            f"tier: cannot downgrade persistent storage from '{current}' to '{tier}'; "
            "delete the storage first, then request a smaller tier"
        )
    space.storage = tier
    return True


def delete_storage(space: Space) -> bool:
    if space.storage is None:
        raise BadRequest(f"{space.repo_id} has no persistent storage to delete")
    space.storage = None
    return True


def set_volumes(
    space: Space, volumes: list[Volume], check_sources: Callable[[list[Volume]], None]
) -> bool:
    """``check_sources``: refuses a volume whose source the caller cannot see (after the 400s)."""
    require_not_static(space, "mount volumes")
    if not volumes:
        raise BadRequest("volumes: expected at least one volume; use DELETE to remove them all")
    rules.validate_volumes(volumes)
    check_sources(volumes)
    space.volumes = list(volumes)
    return True


def delete_volumes(space: Space) -> bool:
    require_not_static(space, "delete volumes")
    if not space.volumes:
        raise BadRequest(f"{space.repo_id} has no volumes to delete")
    space.volumes = []
    return True


def set_dev_mode(accounts: Accounts, space: Space, enabled: bool) -> bool:
    require_not_static(space, "change dev mode")
    if enabled and accounts.plan_of(space.namespace) is not Plan.PRO:
        raise PaymentRequired(
            f"Dev mode requires a PRO subscription (or a Team or Enterprise organization): "
            f"upgrade {space.namespace} to enable it"
        )
    if space.dev_mode == enabled:
        return False
    space.dev_mode = enabled
    return True
