"""Counts answered requests that may have changed state, for ``GET /_fakehub/events``.

Any method but GET, HEAD and OPTIONS counts once its answer starts (control calls included: a
fault added, a scenario loaded). The event stream compares the count, with the clock and the
request log, to tell a page when to read again.

Every HTTP request is also counted when it arrives and when the app is done with it, reads
included: the pytest plugin skips resetting a hub that no request has reached since its last
reset (and that none is still being answered on). The edge (:mod:`.edge`) does the counting.
"""

from __future__ import annotations

from dataclasses import dataclass

READS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Changes:
    """How many writes the app has answered (shared by the edge and the stream)."""

    writes: int = 0
    #: HTTP requests given to the app, and those it is done with (answered, failed or cut off)
    arrived: int = 0
    done: int = 0
