"""Domain records and operations: no HTTP, no wall clock; imports only what lies below it
(clock, scheduler, ids, time formatting, the progression engine)."""

__all__: list[str] = []
