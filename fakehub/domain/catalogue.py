"""The hardware catalogue: flavors, their specs and their prices.

Prices are the Hub's published hourly prices (USD), billed per minute as the Hub's hardware
endpoints report them (``unitLabel: "minute"``, ``unitCostMicroUSD`` rounded). The Spaces and
Jobs catalogues differ: cpu-basic is free for Spaces but metered for Jobs, ZeroGPU and the H100
flavors are Spaces-only, the H200 and cpu-performance flavors are Jobs-only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accelerator:
    type: str  # "gpu" | "neuron"
    model: str
    quantity: int
    vram: str
    manufacturer: str  # "Nvidia" | "AWS"


@dataclass(frozen=True)
class Flavor:
    name: str
    pretty_name: str
    cpu: str
    ram: str
    ephemeral_storage: str
    accelerator: Accelerator | None
    #: USD per hour, as advertised
    hourly_usd: float

    @property
    def unit_cost_micro_usd(self) -> int:
        return round(self.hourly_usd * 1_000_000 / 60)

    @property
    def unit_cost_usd(self) -> float:
        return round(self.hourly_usd / 60, 6)

    @property
    def is_paid(self) -> bool:
        return self.hourly_usd > 0


def _gpu(model: str, quantity: int, vram_each: int, maker: str = "Nvidia") -> Accelerator:
    return Accelerator("gpu", model, quantity, f"{vram_each * quantity} GB", maker)


_COMMON: tuple[Flavor, ...] = (
    Flavor("cpu-upgrade", "CPU Upgrade", "8 vCPU", "32 GB", "50 GB", None, 0.03),
    Flavor("cpu-xl", "CPU XL", "16 vCPU", "124 GB", "50 GB", None, 1.00),
    Flavor("t4-small", "Nvidia T4 - small", "4 vCPU", "15 GB", "50 GB", _gpu("T4", 1, 16), 0.40),
    Flavor("t4-medium", "Nvidia T4 - medium", "8 vCPU", "30 GB", "100 GB", _gpu("T4", 1, 16), 0.60),
    Flavor("l4x1", "1x Nvidia L4", "8 vCPU", "30 GB", "400 GB", _gpu("L4", 1, 24), 0.80),
    Flavor("l4x4", "4x Nvidia L4", "48 vCPU", "186 GB", "3200 GB", _gpu("L4", 4, 24), 3.80),
    Flavor("l40sx1", "1x Nvidia L40S", "8 vCPU", "62 GB", "380 GB", _gpu("L40S", 1, 48), 1.80),
    Flavor("l40sx4", "4x Nvidia L40S", "48 vCPU", "382 GB", "3200 GB", _gpu("L40S", 4, 48), 8.30),
    Flavor(
        "l40sx8", "8x Nvidia L40S", "192 vCPU", "1534 GB", "6500 GB", _gpu("L40S", 8, 48), 23.50
    ),
    Flavor(
        "a10g-small", "Nvidia A10G - small", "4 vCPU", "15 GB", "110 GB", _gpu("A10G", 1, 24), 1.00
    ),
    Flavor(
        "a10g-large", "Nvidia A10G - large", "12 vCPU", "46 GB", "200 GB", _gpu("A10G", 1, 24), 1.50
    ),
    Flavor(
        "a10g-largex2",
        "2x Nvidia A10G - large",
        "24 vCPU",
        "92 GB",
        "1000 GB",
        _gpu("A10G", 2, 24),
        3.00,
    ),
    Flavor(
        "a10g-largex4",
        "4x Nvidia A10G - large",
        "48 vCPU",
        "184 GB",
        "2000 GB",
        _gpu("A10G", 4, 24),
        5.00,
    ),
    Flavor(
        "a100-large",
        "Nvidia A100 - large",
        "12 vCPU",
        "142 GB",
        "1000 GB",
        _gpu("A100", 1, 80),
        2.50,
    ),
    Flavor("a100x4", "4x Nvidia A100", "48 vCPU", "568 GB", "4000 GB", _gpu("A100", 4, 80), 10.00),
    Flavor("a100x8", "8x Nvidia A100", "96 vCPU", "1136 GB", "8000 GB", _gpu("A100", 8, 80), 20.00),
    Flavor(
        "rtx-pro-6000",
        "1x Nvidia RTX PRO 6000",
        "24 vCPU",
        "180 GB",
        "1000 GB",
        _gpu("RTX PRO 6000", 1, 96),
        2.60,
    ),
    Flavor(
        "rtx-pro-6000x2",
        "2x Nvidia RTX PRO 6000",
        "48 vCPU",
        "360 GB",
        "2000 GB",
        _gpu("RTX PRO 6000", 2, 96),
        5.20,
    ),
    Flavor(
        "rtx-pro-6000x4",
        "4x Nvidia RTX PRO 6000",
        "96 vCPU",
        "720 GB",
        "4000 GB",
        _gpu("RTX PRO 6000", 4, 96),
        10.40,
    ),
    Flavor(
        "rtx-pro-6000x8",
        "8x Nvidia RTX PRO 6000",
        "192 vCPU",
        "1440 GB",
        "8000 GB",
        _gpu("RTX PRO 6000", 8, 96),
        20.80,
    ),
)

SPACE_FLAVORS: tuple[Flavor, ...] = (
    Flavor("cpu-basic", "CPU Basic", "2 vCPU", "16 GB", "50 GB", None, 0.0),
    # ZeroGPU is free (quota-based) and needs a PRO account to host.
    Flavor("zero-a10g", "ZeroGPU", "2 vCPU", "16 GB", "50 GB", _gpu("A10G", 1, 24), 0.0),
    *_COMMON,
    Flavor("h100", "Nvidia H100", "23 vCPU", "240 GB", "3000 GB", _gpu("H100", 1, 80), 4.50),
    Flavor(
        "h100x8", "8x Nvidia H100", "184 vCPU", "1920 GB", "24000 GB", _gpu("H100", 8, 80), 36.00
    ),
)

JOB_FLAVORS: tuple[Flavor, ...] = (
    # Jobs bill even cpu-basic: 167 micro-USD a minute (hub-docs).
    Flavor("cpu-basic", "CPU Basic", "2 vCPU", "16 GB", "50 GB", None, 0.01),
    Flavor("cpu-performance", "CPU Performance", "32 vCPU", "256 GB", "50 GB", None, 0.60),
    *_COMMON,
    Flavor("h200", "1x Nvidia H200", "23 vCPU", "256 GB", "3000 GB", _gpu("H200", 1, 141), 5.00),
    Flavor("h200x2", "2x Nvidia H200", "46 vCPU", "512 GB", "6000 GB", _gpu("H200", 2, 141), 10.00),
    Flavor(
        "h200x4", "4x Nvidia H200", "92 vCPU", "1024 GB", "12000 GB", _gpu("H200", 4, 141), 20.00
    ),
    Flavor(
        "h200x8", "8x Nvidia H200", "184 vCPU", "2048 GB", "24000 GB", _gpu("H200", 8, 141), 40.00
    ),
)

_SPACE_INDEX = {f.name: f for f in SPACE_FLAVORS}
_JOB_INDEX = {f.name: f for f in JOB_FLAVORS}

#: Legacy persistent storage tiers for Spaces, cheapest first (USD per month).
STORAGE_TIERS: dict[str, float] = {"small": 5.0, "medium": 25.0, "large": 100.0}


def space_flavor(name: str) -> Flavor | None:
    return _SPACE_INDEX.get(name)


def job_flavor(name: str) -> Flavor | None:
    return _JOB_INDEX.get(name)
