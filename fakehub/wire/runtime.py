"""The Space runtime object (spaces.md §3.6), the runtime request bodies, the hardware catalogue,
and the account-wide runtime answers (semantic search results, the ZeroGPU quota).

``hardware`` is always an object, never null: 0.20.3, 0.36 and 1.28 crash on a null.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool, StrictInt, StrictStr

from fakehub.domain.spaces import machine
from fakehub.domain.spaces.card import README, parse_card
from fakehub.domain.spaces.discovery import ZeroGpuQuota, card_title, space_tags
from fakehub.domain.spaces.records import Space
from fakehub.domain.spaces.tree import regular_bytes
from fakehub.timefmt import iso
from fakehub.wire.parse import WireModel
from fakehub.wire.volumes import VolumeBody, volume_json


def runtime_json(space: Space) -> dict[str, Any]:
    replicas: dict[str, int] = {"requested": 1}
    if space.stage in machine.SERVING:
        replicas["current"] = 1
    hardware = {"current": space.current_hardware, "requested": space.requested_hardware}
    if space.sdk == "static":
        # As the Hub answers for a static Space (cassette): no gcTimeout, devMode or domains.
        return {"stage": space.stage.value, "hardware": hardware, "storage": space.storage,
                "replicas": replicas}  # fmt: skip
    body: dict[str, Any] = {
        "stage": space.stage.value,
        "hardware": hardware,
        "storage": space.storage,
        "gcTimeout": machine.gc_timeout(space.sdk, space.requested_hardware, space.sleep_time),
        "replicas": replicas,
        "devMode": space.dev_mode,
        "domains": [{"domain": f"{space.subdomain}.hf.space", "stage": "READY"}],
    }
    if space.volumes:
        body["volumes"] = [volume_json(v) for v in space.volumes]
    if space.error_message:
        body["errorMessage"] = space.error_message
    return body


# -- request bodies ------------------------------------------------------------------------------


class HardwareBody(WireModel):
    flavor: StrictStr
    sleep_time_seconds: StrictInt | None = Field(default=None, alias="sleepTimeSeconds")


class SleepTimeBody(WireModel):
    seconds: StrictInt


class StorageBody(WireModel):
    tier: StrictStr


class DevModeBody(WireModel):
    enabled: StrictBool


class VolumesBody(WireModel):
    volumes: list[VolumeBody]


def search_result_json(space: Space) -> dict[str, Any]:
    """One hit of ``/api/spaces/semantic-search``."""
    card = parse_card(regular_bytes(space.files, README)).data
    return {
        "id": space.repo_id,
        "author": space.namespace,
        "title": card_title(space),
        "emoji": card.get("emoji") if isinstance(card.get("emoji"), str) else None,
        "sdk": space.sdk,
        "likes": 0,
        "private": space.private,
        "tags": space_tags(space),
        "runtime": runtime_json(space),
        "semanticRelevancyScore": 1.0,
        "trendingScore": 0,
    }


def zero_gpu_quota_json(quota: ZeroGpuQuota) -> dict[str, Any]:
    return {
        "base": quota.base,
        "current": quota.current,
        "resetsAt": iso(quota.resets_at_ns) if quota.resets_at_ns is not None else None,
        "overquotaUsed": quota.overquota_used,
    }
