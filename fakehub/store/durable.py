"""A hub whose state survives restarts: journal, snapshots and replay around a :class:`StateFile`.

Start: the latest snapshot is loaded into the hub, then every later journal entry is replayed
through the app with the clock put back at the virtual time it was applied at, then the clock
continues from the last virtual time saved. While serving, each accepted request is committed
before it is answered (:mod:`fakehub.middleware.journal`); every :data:`SNAPSHOT_EVERY` entries,
after a reset and after a scenario is loaded or unloaded, the journal is folded into a fresh
snapshot, so a restart replays a bounded number of requests.

With ``background=True`` (``fakehub serve``), the periodic snapshot is taken by a forked child
while the server keeps serving (:mod:`fakehub.store.background`); a reset or a scenario (a small,
fresh state) and a clean stop still fold at once.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import AbstractContextManager
from typing import Any

from fakehub.hub import FakeHub
from fakehub.middleware.journal import JournalEntry, JournalHooks
from fakehub.requestlog import RequestLog
from fakehub.store import snapshot
from fakehub.store.background import BackgroundSnapshot, can_fork, freeze_long_lived
from fakehub.store.file import StateFile

#: journal entries between two snapshots (a restart replays at most this many requests)
SNAPSHOT_EVERY = 5000
#: requests after which the state is folded into a snapshot at once
_FOLDING = ("/_fakehub/reset", "/_fakehub/scenario")

ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class DurableState:
    """The journal and snapshots of one hub in one open :class:`StateFile`."""

    def __init__(
        self,
        file: StateFile,
        hub: FakeHub,
        *,
        snapshot_every: int = SNAPSHOT_EVERY,
        background: bool = False,
        freeze_gc: bool = False,
    ) -> None:
        self.file = file
        self.hub = hub
        self.snapshot_every = snapshot_every
        self.background = background and can_fork()
        #: the process is the server's own (``fakehub serve``): long-lived objects may be moved
        #: out of the cycle collector's reach (:func:`fakehub.store.background.freeze_long_lived`)
        self.freeze_gc = freeze_gc
        #: the snapshot a child is taking now (background mode)
        self.taking: BackgroundSnapshot | None = None
        self._since_snapshot = file.journal_length()
        #: journal entries whose replay answered another status than the one recorded
        self.diverged: list[tuple[int, int, int]] = []
        if file.created:
            self.fold()

    # -- serving ---------------------------------------------------------------------------------

    def hooks(self) -> JournalHooks:
        return JournalHooks(record=self.record, hold=self._hold, modes=self._modes)

    def record(self, entry: JournalEntry) -> None:
        self.file.append(entry)
        self._since_snapshot += 1
        folding = entry.path in _FOLDING and entry.status < 400
        if not folding and self._since_snapshot < self.snapshot_every:
            return
        try:
            if folding or not self.background:
                self.fold()
            elif self.taking is None or self.taking.done:
                self.taking = BackgroundSnapshot(self.hub, self.file, freeze_gc=self.freeze_gc)
                self._since_snapshot = 0
        except Exception as exc:  # the entry is committed: only the next restart is slower
            self._since_snapshot = 0  # try again in as many writes, not at every one
            print(f"fakehub: warning: cannot write a snapshot ({exc})", file=sys.stderr)

    def fold(self) -> None:
        """Write the hub's state as the snapshot after the last entry, and drop the journal."""
        self.settle(abandon=True)
        self.file.compact(self.hub.read_clock(), snapshot.dumps(self.hub))
        self._since_snapshot = 0

    def settle(self, *, abandon: bool = False) -> None:
        """Wait for the snapshot being taken in the background (or stop it: ``abandon``)."""
        taking, self.taking = self.taking, None
        if taking is not None:
            taking.abandon() if abandon else taking.wait()

    def heartbeat(self) -> None:
        """Save the virtual now, so a restart continues a realtime clock from about here."""
        now = self.hub.read_clock()
        if now != self.file.saved_clock():
            self.file.save_clock(now)

    def close(self) -> None:
        """A clean shutdown: one snapshot (a fast next start), then release the file."""
        self.fold()
        self.file.close()

    def crash(self) -> None:
        """Release the file as a kill would leave it (tests): a snapshot being taken is lost."""
        self.settle(abandon=True)
        self.file.close()

    # -- starting ------------------------------------------------------------------------------

    async def restore(self, app: ASGIApp) -> int:
        """Load the snapshot and replay the journal after it; how many entries were replayed."""
        taken = self.file.snapshot()
        if taken is None:
            return 0
        snapshot.restore(self.hub, taken.state, taken.now_ns)
        replayed = 0
        for seq, entry in self.file.entries_after(taken.seq):
            self.hub.ctx.clock.resume(entry.at_ns)
            with self.hub.ctx.clock.held():
                status = await _replay(app, entry)
            if status != entry.status:
                self.diverged.append((seq, entry.status, status))
            replayed += 1
        self.hub.request_log = RequestLog()  # what was asked before the restart is not state
        if self.freeze_gc:  # the restored records: never walked by a full collection again
            freeze_long_lived()
        saved = self.file.saved_clock() or 0
        self.hub.ctx.clock.resume(max(saved, self.hub.read_clock()))
        if self.diverged:
            seq, was, now = self.diverged[0]
            print(
                f"fakehub: warning: {len(self.diverged)} journal entries answered differently on "
                f"replay (first: entry {seq}, {was} then, {now} now)",
                file=sys.stderr,
            )
        return replayed

    def _hold(self) -> AbstractContextManager[int]:
        return self.hub.ctx.clock.held()

    def _modes(self) -> tuple[bool, bool]:
        policies = self.hub.policies()
        per_poll = "per-poll" in (policies.space.kind, policies.job.kind)
        faults = bool(self.hub.faults)
        return per_poll or faults, faults


async def _replay(app: ASGIApp, entry: JournalEntry) -> int:
    statuses: list[int] = []
    given = False

    async def receive() -> dict[str, Any]:
        nonlocal given
        if given:
            return {"type": "http.disconnect"}
        given = True
        return {"type": "http.request", "body": entry.body, "more_body": False}

    async def send(message: Any) -> None:
        if message["type"] == "http.response.start":
            statuses.append(int(message["status"]))

    await app(entry.scope(), receive, send)
    return statuses[0] if statuses else 0
