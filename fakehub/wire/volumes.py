"""Volumes on the wire, for Spaces and Jobs alike: ``{"type", "source", "mountPath", ...}``."""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool, StrictStr

from fakehub.domain.volumes import Volume
from fakehub.wire.parse import WireModel


class VolumeBody(WireModel):
    type: StrictStr
    source: StrictStr
    mount_path: StrictStr = Field(alias="mountPath")
    revision: StrictStr | None = None
    read_only: StrictBool | None = Field(default=None, alias="readOnly")
    path: StrictStr | None = None

    def to_volume(self) -> Volume:
        return Volume(
            self.type, self.source, self.mount_path, self.revision, self.read_only, self.path
        )


def volume_json(volume: Volume) -> dict[str, Any]:
    """``revision``, ``readOnly`` and ``path`` only when set, as ``Volume.to_dict()`` sends them."""
    body: dict[str, Any] = {
        "type": volume.type,
        "source": volume.source,
        "mountPath": volume.mount_path,
    }
    if volume.revision is not None:
        body["revision"] = volume.revision
    if volume.read_only is not None:
        body["readOnly"] = volume.read_only
    if volume.path is not None:
        body["path"] = volume.path
    return body
