"""Validation rules for Space settings, shared by create, duplicate and the runtime routes.

Each rule raises a ``HubError`` naming the field and what was expected, before any state changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fakehub.domain.accounts import Accounts, Plan
from fakehub.domain.catalogue import SPACE_FLAVORS, STORAGE_TIERS, Flavor, space_flavor
from fakehub.domain.errors import BadRequest, PaymentRequired
from fakehub.domain.spaces.records import SPACE_SDKS
from fakehub.domain.volumes import VOLUME_TYPES, Volume

#: Sleep time of cpu-basic Spaces: fixed by the Hub, not configurable.
CPU_BASIC_SLEEP_SECONDS = 48 * 3600
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


def validate_repo_name(name: str, field: str = "name") -> str:
    if not _NAME.match(name) or ".." in name or name.endswith((".git", ".")):
        raise BadRequest(
            f"{field}: invalid repo name {name!r}: use letters, digits, '-', '_' and '.', "
            "start with a letter or digit, at most 96 characters"
        )
    return name


def validate_sdk(sdk: str) -> str:
    if sdk not in SPACE_SDKS:
        raise BadRequest(f"sdk: invalid sdk {sdk!r}; expected one of {', '.join(SPACE_SDKS)}")
    return sdk


def validate_flavor(name: str, field: str = "flavor") -> Flavor:
    flavor = space_flavor(name)
    if flavor is None:
        known = ", ".join(f.name for f in SPACE_FLAVORS)
        raise BadRequest(f"{field}: unknown hardware flavor {name!r}; expected one of {known}")
    return flavor


def check_can_pay(accounts: Accounts, namespace: str, flavor: Flavor) -> None:
    """Paid hardware needs a payment method; ZeroGPU needs PRO (402, as the Hub's billing does)."""
    plan = accounts.plan_of(namespace)
    if flavor.name == "zero-a10g" and plan is not Plan.PRO and namespace not in accounts.orgs:
        raise PaymentRequired(
            f"ZeroGPU hardware requires a PRO subscription: upgrade {namespace} to use zero-a10g"
        )
    if flavor.is_paid and plan is Plan.NO_PAYMENT_METHOD:
        raise PaymentRequired(
            f"Paid hardware ({flavor.name}) requires a payment method: add one to the "
            f"billing settings of {namespace}"
        )


def validate_storage(tier: str, field: str = "tier") -> str:
    if tier not in STORAGE_TIERS:
        raise BadRequest(
            f"{field}: unknown storage tier {tier!r}; expected one of {', '.join(STORAGE_TIERS)}"
        )
    return tier


def validate_sleep_time(seconds: int, field: str = "seconds") -> int:
    """``-1`` (never) or a positive number of seconds."""
    if seconds != -1 and seconds <= 0:
        raise BadRequest(f"{field}: sleep time must be a positive number of seconds, or -1 (never)")
    return seconds


def validate_key(key: str, field: str = "key") -> str:
    if not _KEY.match(key):
        raise BadRequest(
            f"{field}: invalid key {key!r}: use letters, digits and '_', not starting with a digit"
        )
    return key


def validate_unique_keys(keys: Iterable[str], field: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise BadRequest(f"{field}: duplicate key {key!r}")
        seen.add(key)


def validate_volume(volume: Volume, field: str = "volumes") -> Volume:
    if volume.type not in VOLUME_TYPES:
        raise BadRequest(
            f"{field}.type: unknown volume type {volume.type!r}; expected one of "
            f"{', '.join(VOLUME_TYPES)}"
        )
    if not volume.source or volume.source.count("/") != 1:
        raise BadRequest(f"{field}.source: expected 'namespace/name', got {volume.source!r}")
    if not volume.mount_path.startswith("/"):
        raise BadRequest(f"{field}.mountPath: must be an absolute path, got {volume.mount_path!r}")
    if volume.type != "bucket" and volume.read_only is False:
        raise BadRequest(f"{field}.readOnly: {volume.type} volumes are always mounted read-only")
    return volume


def validate_volumes(volumes: list[Volume], field: str = "volumes") -> list[Volume]:
    mounts: set[str] = set()
    for index, volume in enumerate(volumes):
        validate_volume(volume, f"{field}[{index}]")
        if volume.mount_path in mounts:
            raise BadRequest(f"{field}[{index}].mountPath: {volume.mount_path} is mounted twice")
        mounts.add(volume.mount_path)
    return volumes
