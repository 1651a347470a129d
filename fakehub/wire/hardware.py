"""The hardware catalogues on the wire (``GET /api/spaces/hardware``, ``GET /api/jobs/hardware``).

The two differ by one key: the Hub's schema for Spaces forbids ``ephemeralStorage``
(``additionalProperties: false``), the Jobs schema requires it.
"""

from __future__ import annotations

from typing import Any

from fakehub.domain.catalogue import Flavor


def flavor_json(flavor: Flavor, *, ephemeral_storage: bool) -> dict[str, Any]:
    acc = flavor.accelerator
    body: dict[str, Any] = {
        "name": flavor.name,
        "prettyName": flavor.pretty_name,
        "cpu": flavor.cpu,
        "ram": flavor.ram,
    }
    if ephemeral_storage:
        body["ephemeralStorage"] = flavor.ephemeral_storage
    body["accelerator"] = (
        None
        if acc is None
        else {
            "type": acc.type,
            "model": acc.model,
            "quantity": str(acc.quantity),  # a string in the Hub's schema
            "vram": acc.vram,
            "manufacturer": acc.manufacturer,
        }
    )
    body["unitCostMicroUSD"] = flavor.unit_cost_micro_usd
    body["unitCostUSD"] = flavor.unit_cost_usd
    body["unitLabel"] = "minute"
    return body
