"""The Space settings ``create`` and ``duplicate`` accept, validated before anything changes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fakehub.domain.accounts import Accounts
from fakehub.domain.errors import BadRequest
from fakehub.domain.spaces.records import KeyValue, Space, Visibility
from fakehub.domain.spaces.rules import (
    check_can_pay,
    validate_flavor,
    validate_key,
    validate_sleep_time,
    validate_storage,
    validate_unique_keys,
    validate_volumes,
)
from fakehub.domain.volumes import Volume

VISIBILITIES: tuple[Visibility, ...] = ("public", "private", "protected")
REGIONS = ("us", "eu")
_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")


@dataclass(frozen=True)
class KeyValueInput:
    key: str
    value: str
    description: str | None = None


@dataclass(frozen=True)
class SpaceOptions:
    """Optional settings of a new Space (``None``: not given)."""

    hardware: str | None = None
    storage: str | None = None
    sleep_time: int | None = None
    secrets: tuple[KeyValueInput, ...] | None = None
    variables: tuple[KeyValueInput, ...] | None = None
    volumes: tuple[Volume, ...] | None = None
    resource_group_id: str | None = None
    region: str | None = None


def resolve_visibility(private: bool | None, visibility: str | None) -> Visibility | None:
    """``private`` (0.x clients) or ``visibility`` (1.x/2.x); never both."""
    if private is not None and visibility is not None:
        raise BadRequest("visibility: give either 'private' or 'visibility', not both")
    if visibility is not None:
        for known in VISIBILITIES:
            if visibility == known:
                return known
        raise BadRequest(
            f"visibility: invalid value {visibility!r}; expected one of {', '.join(VISIBILITIES)}"
        )
    if private is None:
        return None
    return "private" if private else "public"


def _validate_pairs(items: tuple[KeyValueInput, ...] | None, field_name: str) -> None:
    if items is None:
        return
    for index, item in enumerate(items):
        validate_key(item.key, f"{field_name}[{index}].key")
    validate_unique_keys((item.key for item in items), field_name)


def validate_options(accounts: Accounts, namespace: str, sdk: str, options: SpaceOptions) -> None:
    """Every option checked (400, or 402 for hardware nobody pays for); nothing mutated."""
    if options.hardware is not None:
        flavor = validate_flavor(options.hardware, "hardware")
        if flavor.name == "zero-a10g" and sdk != "gradio":
            raise BadRequest(f"hardware: zero-a10g (ZeroGPU) requires the gradio sdk, not {sdk}")
        check_can_pay(accounts, namespace, flavor)
    if options.storage is not None:
        validate_storage(options.storage, "storageTier")
    if options.sleep_time is not None:
        validate_sleep_time(options.sleep_time, "sleepTimeSeconds")
    _validate_pairs(options.secrets, "secrets")
    _validate_pairs(options.variables, "variables")
    if options.volumes is not None:
        if sdk == "static" and options.volumes:
            raise BadRequest("volumes: static Spaces cannot mount volumes")
        validate_volumes(list(options.volumes))
    if options.resource_group_id is not None and not _OBJECT_ID.match(options.resource_group_id):
        raise BadRequest(
            f"resourceGroupId: expected a 24-hex-digit id, got {options.resource_group_id!r}"
        )
    if options.region is not None and options.region not in REGIONS:
        raise BadRequest(f"region: invalid region {options.region!r}; expected one of us, eu")


def key_values(items: tuple[KeyValueInput, ...], now_ns: int) -> dict[str, KeyValue]:
    return {i.key: KeyValue(i.key, i.value, i.description, now_ns) for i in items}


def apply_options(space: Space, options: SpaceOptions, now_ns: int) -> None:
    """Write validated options onto a Space that is not in the store yet."""
    if options.hardware is not None:
        space.requested_hardware = options.hardware
    if options.storage is not None:
        space.storage = options.storage
    if options.sleep_time is not None:
        space.sleep_time = options.sleep_time
    if options.secrets is not None:
        space.secrets.update(key_values(options.secrets, now_ns))
    if options.variables is not None:
        space.variables.update(key_values(options.variables, now_ns))
    if options.volumes is not None:
        space.volumes = list(options.volumes)
    if options.resource_group_id is not None:
        space.resource_group_id = options.resource_group_id
    if options.region == "eu":
        space.region = "eu"
    elif options.region == "us":
        space.region = "us"
