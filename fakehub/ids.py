"""Deterministic identifiers from one seeded RNG per hub.

The Hub's ids are Mongo ObjectIds (24 lowercase hex characters) and git shas (40 hex). Seeding
them makes every run of a test produce the same ids, so failures reproduce exactly.
"""

from __future__ import annotations

import random


class IdFactory:
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def object_id(self) -> str:
        return f"{self._rng.getrandbits(96):024x}"

    def sha(self) -> str:
        return f"{self._rng.getrandbits(160):040x}"

    def hex(self, length: int) -> str:
        return f"{self._rng.getrandbits(length * 4):0{length}x}"

    def random(self) -> float:
        return self._rng.random()
