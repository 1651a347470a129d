"""The Space runtime object (spaces.md §3.6), the runtime request bodies, the hardware catalogue.

``hardware`` is always an object, never null: 0.20.3, 0.36 and 1.28 crash on a null.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool, StrictInt, StrictStr

from fakehub.domain.catalogue import Flavor
from fakehub.domain.spaces.records import Space, Volume
from fakehub.machines import space as machine
from fakehub.wire.parse import WireModel


def volume_json(v: Volume) -> dict[str, Any]:
    body: dict[str, Any] = {"type": v.type, "source": v.source, "mountPath": v.mount_path}
    if v.revision is not None:
        body["revision"] = v.revision
    if v.read_only is not None:
        body["readOnly"] = v.read_only
    if v.path is not None:
        body["path"] = v.path
    return body


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


def flavor_json(flavor: Flavor) -> dict[str, Any]:
    """One entry of ``GET /api/spaces/hardware`` (the Hub's schema: no ``ephemeralStorage``)."""
    acc = flavor.accelerator
    return {
        "name": flavor.name,
        "prettyName": flavor.pretty_name,
        "cpu": flavor.cpu,
        "ram": flavor.ram,
        "accelerator": None
        if acc is None
        else {
            "type": acc.type,
            "model": acc.model,
            "quantity": str(acc.quantity),
            "vram": acc.vram,
            "manufacturer": acc.manufacturer,
        },
        "unitCostMicroUSD": flavor.unit_cost_micro_usd,
        "unitCostUSD": flavor.unit_cost_usd,
        "unitLabel": "minute",
    }


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


class VolumeBody(WireModel):
    type: StrictStr
    source: StrictStr
    mount_path: StrictStr = Field(alias="mountPath")
    revision: StrictStr | None = None
    read_only: StrictBool | None = Field(default=None, alias="readOnly")
    path: StrictStr | None = None

    def to_volume(self) -> Volume:
        return Volume(
            type=self.type,
            source=self.source,
            mount_path=self.mount_path,
            revision=self.revision,
            read_only=self.read_only,
            path=self.path,
        )


class VolumesBody(WireModel):
    volumes: list[VolumeBody]
