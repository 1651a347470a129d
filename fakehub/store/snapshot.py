"""The hub's state as bytes and back: what a state file's snapshot holds.

The state is the mapping :meth:`fakehub.hub.FakeHub.holding` hands out (the request log is not
state). Scheduled events are closures over the records they change, which the standard pickle
refuses; cloudpickle keeps them, references and all, so a restored hub has the same pending
transitions and cron occurrences. Locks are not state: each is made afresh.
"""

from __future__ import annotations

import io
import pickle
import threading
from typing import Any

import cloudpickle  # type: ignore[import-untyped]

from fakehub.hub import FakeHub

_RLOCK = type(threading.RLock())
_LOCK = type(threading.Lock())


class _Pickler(cloudpickle.Pickler):  # type: ignore[misc]
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _RLOCK):
            return threading.RLock, ()
        if isinstance(obj, _LOCK):
            return threading.Lock, ()
        return super().reducer_override(obj)


def dumps(hub: FakeHub) -> bytes:
    """The hub's state, with the lock held and due events applied."""
    with hub.holding() as state:
        return dumps_mapping(dict(state))


def dumps_mapping(state: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    return buffer.getvalue()


def restore(hub: FakeHub, data: bytes, now_ns: int) -> None:
    """Put the state ``data`` holds into ``hub``, its clock reading ``now_ns``."""
    state = pickle.loads(data)  # our own file, read after its checks
    with hub.ctx.lock:
        lock = hub.ctx.lock
        vars(hub).update(state)
        hub.ctx.lock = lock  # the one lock requests already wait on
        hub.ctx.clock.resume(now_ns)
