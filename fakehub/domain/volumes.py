"""Volumes: Hub repos and buckets mounted into a Space or a Job (the same record for both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

VolumeType = Literal["bucket", "model", "dataset", "space"]
VOLUME_TYPES: tuple[VolumeType, ...] = ("bucket", "model", "dataset", "space")


@dataclass(frozen=True)
class Volume:
    type: str  # one of VOLUME_TYPES once validated
    source: str
    mount_path: str
    revision: str | None = None
    read_only: bool | None = None
    path: str | None = None
