"""A snapshot taken while the server keeps serving: a forked child pickles, a thread stores.

Pickling a large hub takes seconds; doing it in the server would stop every request meanwhile.
So, as Redis's ``BGSAVE`` does, the server forks: the child holds a copy-on-write image of the
hub at that instant (taken with the hub's lock held and between two journaled requests, so it
is exactly the state after the last journal entry) and pickles it into a pipe, while the parent
goes on serving and journaling. A thread of the parent reads the pipe and writes it into the
state file a piece at a time (each piece its own short transaction, so a journaled request
waits at most for one piece), then, once the child has exited cleanly, makes it the snapshot in
one short transaction that also drops the journal entries it covers.

Nothing here can lose an acknowledged write: until that last transaction, the previous snapshot
and the whole journal are still in the file, and a kill (of the server or of the child) at any
point leaves pieces that the next open drops. The child shares no lock or connection with the
parent: it only pickles its own memory and writes to the pipe, and leaves with ``os._exit``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import warnings

from fakehub.hub import FakeHub
from fakehub.store import snapshot
from fakehub.store.file import StateFile

#: bytes per piece of a snapshot (one transaction each)
PART_BYTES = 1 << 20


def can_fork() -> bool:
    return hasattr(os, "fork")


class BackgroundSnapshot:
    """One snapshot being taken by a forked child; :meth:`wait` until it is in the file."""

    def __init__(self, hub: FakeHub, file: StateFile, *, freeze_gc: bool = False) -> None:
        self.file = file
        self.part_bytes = PART_BYTES
        #: why the snapshot was not stored (the journal still holds everything)
        self.error: str | None = None
        self.installed = False
        self._abandoned = False
        read, write = os.pipe()
        if freeze_gc:
            freeze_long_lived()
        with hub.holding() as state:
            self.seq, self.now_ns = file.last_seq, hub.read_clock()
            pid = _fork(read, write)
            if pid == 0:  # pragma: no cover - the child (measured by the tests' results)
                os.close(read)
                _child(write, dict(state))
        os.close(write)
        self.pid = pid
        self._thread = threading.Thread(
            target=self._store, args=(read,), name="fakehub-snapshot", daemon=True
        )
        self._thread.start()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the child and the pieces; True once the snapshot is stored."""
        self._thread.join(timeout)
        return self.installed

    def abandon(self) -> None:
        """Stop the child and forget this snapshot (the journal keeps everything)."""
        self._abandoned = True
        if self._thread.is_alive():  # else the child is reaped: its pid may be another's now
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self._thread.join()

    def _store(self, read: int) -> None:
        try:
            parts = 0
            with os.fdopen(read, "rb") as stream:
                while piece := stream.read(self.part_bytes):
                    self.file.write_part(self.seq, parts, piece)
                    parts += 1
            _, status = os.waitpid(self.pid, 0)
            if status != 0:
                raise RuntimeError(f"the snapshot process ended with status {status:#x}")
            self.installed = self.file.install(self.seq, self.now_ns, parts)
        except Exception as exc:  # the journal still has every entry: only restarts are slower
            self.error = str(exc)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            if not self._abandoned:
                print(f"fakehub: warning: cannot write a snapshot ({exc})", file=sys.stderr)


def _fork(read: int, write: int) -> int:
    try:
        with warnings.catch_warnings():  # 3.12+ warns when other threads exist: the child
            warnings.simplefilter("ignore", DeprecationWarning)  # only pickles, then leaves
            return os.fork()
    except BaseException:
        os.close(read)
        os.close(write)
        raise


def freeze_long_lived() -> None:
    """Move every object alive now out of the cycle collector's reach (``gc.freeze``).

    Only in ``fakehub serve``'s own process (a library user's objects are not ours to freeze).
    A large hub is millions of long-lived objects: a full collection walks them all (3 s for
    10k Spaces + 100k Jobs, stopping every request), and while a snapshot's child lives, that
    walk writes to every object's header, so copy-on-write copies the whole heap. Frozen, they
    are never walked again; they are still freed as usual when their count drops. The price: a
    reference cycle that is already garbage now is never collected. No collection first: right
    after a restore the young generation holds the whole hub, and walking it took 2.6 s.
    """
    gc.freeze()


def _child(write: int, state: dict[str, object]) -> None:  # pragma: no cover - the child
    """Pickle ``state`` into the pipe and leave, never returning into the server's code."""
    code = 1
    try:
        gc.disable()  # nothing is freed in a process that ends after this
        with contextlib.suppress(ValueError):  # only the main thread may touch signals
            signal.set_wakeup_fd(-1)  # a signal to the child must not wake the server's loop
        # The server's sockets and files: a listening socket kept open here would keep its port
        # taken after a kill of the server, until this process ends.
        os.closerange(3, write)
        os.closerange(write + 1, _max_fd())
        with os.fdopen(write, "wb", buffering=1 << 20) as stream:
            snapshot.dump_into(stream, state)
        code = 0
    except BrokenPipeError:
        pass  # the server is gone: so is the reason for this snapshot
    except BaseException as exc:
        with contextlib.suppress(BaseException):
            os.write(2, f"fakehub: snapshot process: {exc!r}\n".encode())
    finally:
        os._exit(code)


def _max_fd() -> int:  # pragma: no cover - the child
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 65536
