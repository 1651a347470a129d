"""Counts answered requests that may have changed state, for ``GET /_fakehub/events``.

Any method but GET, HEAD and OPTIONS counts once its answer starts (control calls included: a
fault added, a scenario loaded); the edge (:mod:`.edge`) does the counting. The event stream
compares the count, with the clock and the request log, to tell a page when to read again.
"""

from __future__ import annotations

from dataclasses import dataclass

READS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Changes:
    """How many writes the app has answered (shared by the edge and the stream)."""

    writes: int = 0
