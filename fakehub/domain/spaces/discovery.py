"""Account-wide Space reads: semantic search (a simple substring match) and the ZeroGPU quota."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fakehub.domain.spaces.card import README, parse_card
from fakehub.domain.spaces.records import Space, SpaceStage
from fakehub.domain.spaces.tree import regular_bytes

#: ZeroGPU daily quota in GPU-seconds (inferred: PRO gets the documented example, 8x free).
ZERO_GPU_BASE_PRO = 2400
ZERO_GPU_BASE_FREE = 300


@dataclass(frozen=True)
class ZeroGpuQuota:
    base: int
    current: int
    #: None while the quota is unused (fakehub simulates no ZeroGPU usage)
    resets_at_ns: int | None
    overquota_used: int


def zero_gpu_quota(is_pro: bool) -> ZeroGpuQuota:
    base = ZERO_GPU_BASE_PRO if is_pro else ZERO_GPU_BASE_FREE
    return ZeroGpuQuota(base=base, current=base, resets_at_ns=None, overquota_used=0)


def card_title(space: Space) -> str:
    title = parse_card(regular_bytes(space.files, README)).data.get("title")
    return title if isinstance(title, str) else space.name


def space_tags(space: Space) -> list[str]:
    """The tags the runtime knows of: the SDK, the card's tags, the region."""
    card_tags = parse_card(regular_bytes(space.files, README)).data.get("tags") or []
    extra = [t for t in card_tags if isinstance(t, str)] if isinstance(card_tags, list) else []
    return [space.sdk, *extra, "region:us"]


def matches(
    space: Space,
    query: str,
    *,
    tags: Sequence[str] = (),
    sdks: Sequence[str] = (),
    include_non_running: bool = False,
) -> bool:
    """Case-insensitive substring of the id or the card title; every tag; one of the SDKs."""
    needle = query.lower()
    if needle not in space.repo_id.lower() and needle not in card_title(space).lower():
        return False
    if sdks and space.sdk not in sdks:
        return False
    if tags and not set(tags) <= set(space_tags(space)):
        return False
    return include_non_running or space.stage is SpaceStage.RUNNING
