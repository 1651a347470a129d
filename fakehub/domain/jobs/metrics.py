"""Metrics samples (spec §8): plausible, deterministic numbers sized by the job's flavor.

A sample is a pure function of (job id, attempt, flavor, second of the run), so two streams of
the same job agree, and a script's ``metrics`` override the computed values key by key.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from fakehub.domain.catalogue import Flavor, job_flavor
from fakehub.domain.jobs.records import Job

_GB = re.compile(r"(\d+(?:\.\d+)?)\s*GB")
_CPU = re.compile(r"(\d+)\s*vCPU")
_GIB = 1024**3


def _noise(*parts: object) -> float:
    """A stable number in [0, 1) from the given parts."""
    digest = hashlib.sha256("\x00".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _number(pattern: re.Pattern[str], text: str, default: float) -> float:
    match = pattern.search(text)
    return float(match.group(1)) if match else default


def _gpus(job: Job, flavor: Flavor, second: int) -> dict[str, Any]:
    accelerator = flavor.accelerator
    if accelerator is None:
        return {}
    each = _number(_GB, accelerator.vram, 0.0) / max(accelerator.quantity, 1)
    total = int(each * 1_000_000_000)
    gpus = {}
    for index in range(accelerator.quantity):
        gpu_id = hashlib.sha256(f"{job.id}:gpu:{index}".encode()).hexdigest()[:8]
        load = _noise(job.id, "gpu", index, second)
        gpus[gpu_id] = {
            "utilization": round(40 + 55 * load),
            "memory_used_bytes": int(total * (0.3 + 0.5 * load)),
            "memory_total_bytes": total,
        }
    return gpus


def sample(job: Job, second: int) -> dict[str, Any]:
    """The metrics event for ``second`` (whole seconds since the current attempt started)."""
    flavor = job_flavor(job.spec.flavor)
    assert flavor is not None  # specs are validated against the catalogue
    vcpus = _number(_CPU, flavor.cpu, 2.0)
    memory_total = int(_number(_GB, flavor.ram, 16.0) * _GIB)
    load = _noise(job.id, job.attempt, "cpu", second)
    body: dict[str, Any] = {
        "cpu_usage_pct": round(10 + 70 * load, 1),
        "cpu_millicores": int(vcpus * 1000),
        "memory_used_bytes": int(memory_total * (0.05 + 0.25 * _noise(job.id, "mem", second))),
        "memory_total_bytes": memory_total,
        "rx_bps": int(2_000_000 * _noise(job.id, "rx", second)),
        "tx_bps": int(200_000 * _noise(job.id, "tx", second)),
        "gpus": _gpus(job, flavor, second),
        "replica": hashlib.sha256(f"{job.id}:{job.attempt}".encode()).hexdigest()[:5],
    }
    body.update(job.outcome.metrics)
    return body
