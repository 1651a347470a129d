"""The loaded scenario (``/_fakehub/scenario``) and a visit to a Space."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

Status = Literal["loaded", "unloaded", "current"]


class LoadedOut(TypedDict):
    loaded: bool
    name: str | None
    source: str | None
    description: str | None
    status: Status


def loaded_json(
    status: Status,
    *,
    source: str | None = None,
    name: str | None = None,
    description: str | None = None,
) -> LoadedOut:
    """``source`` ``None``: no scenario is loaded."""
    return {
        "loaded": source is not None,
        "name": name,
        "source": source,
        "description": description,
        "status": status,
    }
