"""A bounded history of stage changes, kept on each Space and Job for the dashboard's timeline.

Each change of stage appends one :class:`StageMark` with its virtual time and the hardware at
that moment, so a reader can draw the resource's life and see where its hardware changed
(charges come from the billing meter). The history is bounded: past :data:`LIMIT` marks the
oldest are dropped and counted, so a Space that restarts for days keeps a constant footprint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Marks kept per resource; older ones are dropped (and counted in ``dropped``).
LIMIT = 200


@dataclass(frozen=True)
class StageMark:
    at_ns: int
    stage: str
    #: the hardware asked for at that moment (a Space's ``requested``, a Job's flavor)
    requested: str | None = None
    #: the hardware an app served on at that moment (Spaces only)
    current: str | None = None


@dataclass
class StageHistory:
    marks: list[StageMark] = field(default_factory=list)
    #: marks dropped from the front to stay within :data:`LIMIT`
    dropped: int = 0

    @classmethod
    def bounded(cls, marks: list[StageMark]) -> StageHistory:
        """The history that recording ``marks`` one by one would have left."""
        excess = max(0, len(marks) - LIMIT)
        return cls(marks[excess:], excess)

    def record(self, mark: StageMark) -> None:
        self.marks.append(mark)
        if len(self.marks) > LIMIT:
            excess = len(self.marks) - LIMIT
            del self.marks[:excess]
            self.dropped += excess
