"""The generic progression engine: policies (timed / per-poll / instant) and the engine that
applies a resource's next automatic :class:`Step` when its policy says so. It knows time and the
scheduler only; the stage machines live beside their records (``fakehub.domain.*.machine``)."""

from fakehub.machines.policy import Policy
from fakehub.machines.progression import Progression, Step, Stepper

__all__ = ["Policy", "Progression", "Step", "Stepper"]
