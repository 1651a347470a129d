"""The hub's state as bytes and back: what a state file's snapshot holds.

The state is the mapping :meth:`fakehub.hub.FakeHub.holding` hands out (the request log is not
state), pickled. Scheduled events are closures over the records they change (``lambda at:
self._fire(key, armed, at)``), which the standard pickle refuses; they are written as the
place their code lives in fakehub (module, qualified name, first line) plus what their cells
hold, and rebuilt from fakehub's own code on load, so a restored hub has the same pending
transitions and cron occurrences, sharing the same records. Locks are not state: each is made
afresh.

Speed: frozen values (log lines, stage events and marks, charges, specs...) are most of the
objects in a large hub. The generic way pickle rebuilds a frozen dataclass calls its Python
``__setstate__``, one ``object.__setattr__`` per field; here each is written as its class and
the tuple of its fields, and rebuilt by one call of the class (about twice as fast to load).
Only values whose fields are all constructor arguments are listed; they hold no records, so
no reference cycle goes through them.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import importlib
import io
import operator
import pickle
import threading
import types
from collections.abc import Iterator, Mapping
from typing import Any

from fakehub.domain import billing, history, volumes
from fakehub.domain.buckets import records as buckets
from fakehub.domain.jobs import records as jobs
from fakehub.domain.jobs.records import NO_VALUES
from fakehub.domain.spaces import records as spaces
from fakehub.dump import no_cycle_collection
from fakehub.hub import FakeHub

_RLOCK = type(threading.RLock())
_LOCK = type(threading.Lock())
_EMPTY = "<empty cell>"


#: frozen values written as (class, fields): see the module's docstring
VALUES: tuple[type, ...] = (
    jobs.LogLine, jobs.StageEvent, jobs.Person, jobs.Initiator, jobs.JobSpec, jobs.Network,
    spaces.LogLine, spaces.KeyValue, spaces.LfsPointer, spaces.Commit, spaces.SpaceScript,
    spaces.AppRoute, history.StageMark, billing.Charge, volumes.Volume, buckets.BucketFile,
)  # fmt: skip


def _by_fields(cls: type) -> Any:
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields):
        raise TypeError(f"{cls.__qualname__}: not every field is a constructor argument")
    names = [f.name for f in fields]
    if len(names) == 1:
        return lambda value: (cls, (getattr(value, names[0]),))
    fields_of = operator.attrgetter(*names)
    return lambda value: (cls, fields_of(value))


#: locks are made afresh (looked up by exact type in C: no Python call per record)
_REDUCERS = {
    **copyreg.dispatch_table,
    **{cls: _by_fields(cls) for cls in VALUES},
    types.MappingProxyType: lambda proxy: (_read_only, (dict(proxy),)),
    _RLOCK: lambda lock: (threading.RLock, ()),
    _LOCK: lambda lock: (threading.Lock, ()),
}
_FUNCTION = types.FunctionType


def _read_only(items: dict[str, Any]) -> Mapping[str, Any]:
    """A read-only mapping again; the shared empty one stays shared (one per hub, not per Job)."""
    return types.MappingProxyType(items) if items else NO_VALUES


class _Pickler(pickle.Pickler):
    dispatch_table = _REDUCERS

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is _FUNCTION and "<locals>" in obj.__qualname__:
            return _reduce_closure(obj)
        return NotImplemented


def dumps(hub: FakeHub) -> bytes:
    """The hub's state, with the lock held and due events applied."""
    with hub.holding() as state:
        return dumps_mapping(dict(state))


def dumps_mapping(state: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    dump_into(buffer, state)
    return buffer.getvalue()


def dump_into(stream: Any, state: dict[str, Any]) -> None:
    """Pickle ``state`` into the binary ``stream`` (a pipe, for a snapshot taken in a child)."""
    with no_cycle_collection():
        _Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(state)


def loads(data: bytes) -> dict[str, Any]:
    with no_cycle_collection():
        state: dict[str, Any] = pickle.loads(data)  # our own file, read after its checks
    return state


def restore(hub: FakeHub, data: bytes, now_ns: int) -> None:
    """Put the state ``data`` holds into ``hub``, its clock reading ``now_ns``."""
    state = loads(data)
    with hub.ctx.lock:
        lock = hub.ctx.lock
        vars(hub).update(state)
        hub.ctx.lock = lock  # the one lock requests already wait on
        hub.ctx.clock.resume(now_ns)


def _reduce_closure(fn: types.FunctionType) -> tuple[Any, ...]:
    code = fn.__code__
    if not fn.__module__.startswith("fakehub."):
        raise pickle.PicklingError(f"cannot keep {fn.__qualname__} from {fn.__module__}")
    cells = tuple(_contents(cell) for cell in fn.__closure__ or ())
    where = (fn.__module__, code.co_qualname, code.co_firstlineno)
    return _rebuild_closure, (where, cells, fn.__defaults__, fn.__kwdefaults__)


def _contents(cell: types.CellType) -> Any:
    try:
        return cell.cell_contents
    except ValueError:
        return _EMPTY


def _rebuild_closure(
    where: tuple[str, str, int],
    cells: tuple[Any, ...],
    defaults: tuple[Any, ...] | None,
    kwdefaults: dict[str, Any] | None,
) -> types.FunctionType:
    module = importlib.import_module(where[0])
    code = _codes(where[0]).get(where)
    if code is None:
        raise pickle.UnpicklingError(f"{where[1]} ({where[0]}:{where[2]}) is not in this fakehub")
    closure = tuple(types.CellType() if c == _EMPTY else types.CellType(c) for c in cells)
    fn = types.FunctionType(code, module.__dict__, code.co_name, defaults, closure)
    fn.__kwdefaults__ = kwdefaults
    return fn


@functools.cache
def _codes(module_name: str) -> dict[tuple[str, str, int], types.CodeType]:
    """Every code object of a module, nested ones included, by (module, qualname, line)."""
    module = importlib.import_module(module_name)
    found: dict[tuple[str, str, int], types.CodeType] = {}
    for code in _module_codes(module):
        found[(module_name, code.co_qualname, code.co_firstlineno)] = code
    return found


def _module_codes(module: types.ModuleType) -> Iterator[types.CodeType]:
    seen: set[int] = set()
    stack: list[Any] = list(vars(module).values())
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, type) and item.__module__ == module.__name__:
            stack.extend(vars(item).values())
        elif isinstance(item, staticmethod | classmethod | property):
            stack.extend(
                f for f in (getattr(item, "__func__", None), getattr(item, "fget", None)) if f
            )
        elif isinstance(item, types.FunctionType) and item.__module__ == module.__name__:
            stack.append(getattr(item, "__wrapped__", None))
            stack.append(item.__code__)
        elif isinstance(item, types.CodeType):
            yield item
            stack.extend(c for c in item.co_consts if isinstance(c, types.CodeType))
