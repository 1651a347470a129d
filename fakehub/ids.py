"""Deterministic identifiers from one seeded RNG per hub.

The Hub's ids are Mongo ObjectIds (24 lowercase hex characters) and git shas (40 hex). Seeding
them makes every run of a test produce the same ids, so failures reproduce exactly.
"""

from __future__ import annotations

import random


class IdFactory:
    def __init__(self, seed: int | str) -> None:
        self._seed = seed
        self._rng = random.Random(seed)

    def stream(self, label: str) -> IdFactory:
        """A separate stream for ``label`` from the same seed: drawing from it, whenever that
        happens, never shifts this one (so a read that needs a value changes no later id)."""
        return IdFactory(f"{self._seed}/{label}")

    def object_id(self) -> str:
        return f"{self._rng.getrandbits(96):024x}"

    def sha(self) -> str:
        return f"{self._rng.getrandbits(160):040x}"

    def hex(self, length: int) -> str:
        return f"{self._rng.getrandbits(length * 4):0{length}x}"

    def random(self) -> float:
        return self._rng.random()
