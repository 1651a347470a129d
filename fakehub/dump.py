"""``dump_state(hub)``: a canonical, JSON-able snapshot of everything a hub holds.

The walk is generic, so new records (Spaces, Jobs, billing, ...) show up without touching this
module: dataclasses by field, plain objects by attribute, mappings with sorted keys, enums by
value, bytes as size and sha256. Mutable records reached a second time become
``{"$ref": "<path of first sight>"}`` (services share stores and records); frozen values are
always inlined. The same state always gives the same dump, so two dumps compare with ``==``.

Redaction: under a name containing ``secret``, the ``value`` field of records and the values of
mappings become ``"<redacted:xxxxxxxx>"`` (the first 8 hex digits of their sha256, so a test
can still see that a secret changed without reading it); under ``token``, ``password`` or
``credential``, every string (mapping keys too) is redacted that way. Tokens in the accounts
are listed by user, role and name only. The request log is not part of the state.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import math
import random
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from fakehub.clock import VirtualClock
from fakehub.derived import Derived
from fakehub.domain.accounts import Accounts
from fakehub.faults.book import FaultBook
from fakehub.requestlog import RequestLog
from fakehub.scheduler import Scheduler

if TYPE_CHECKING:
    from fakehub.hub import FakeHub

_SECRET = re.compile(r"secret", re.IGNORECASE)
_CREDENTIAL = re.compile(r"token|password|credential", re.IGNORECASE)
_LOCKS = (type(threading.Lock()), type(threading.RLock()))
_OMIT = object()


def redacted(value: str) -> str:
    return f"<redacted:{hashlib.sha256(value.encode()).hexdigest()[:8]}>"


#: how the walker treats values of a type (decided once per type: see ``_classify``)
_LEAF, _STR, _FLOAT, _ENUM, _BYTES, _DATE, _SPECIAL, _SKIP, _MAPPING, _SEQ, _SET, _RECORD = range(
    12
)
_KINDS: dict[type, int] = {type(None): _LEAF, bool: _LEAF, int: _LEAF, str: _STR}
#: misses after which a frozen type's values are no longer looked up for reuse
_MEMO_TRIES = 512
#: values that dump as themselves (outside a secret or credential scope)
_PLAIN = frozenset({type(None), bool, int, str})
#: fills a record's output from its fields (``_compile``)
_Fill = Callable[[Any, "_Walker", str], dict[str, Any]]
#: per (record type, scope): whether it is frozen, and its fill function
_PLANS: dict[tuple[type, str], tuple[bool, _Fill]] = {}


def _classify(cls: type) -> int:
    """The walker's branch for values of ``cls``, the checks applied in this order."""
    from fakehub.hub import FakeHub

    checks: tuple[tuple[Any, int], ...] = (
        (bool | int, _LEAF),
        (str, _STR),
        (float, _FLOAT),
        (Enum, _ENUM),
        (bytes | bytearray, _BYTES),
        (datetime | date, _DATE),
        ((VirtualClock, Scheduler, Accounts, FaultBook, random.Random), _SPECIAL),
        ((*_LOCKS, RequestLog, FakeHub, Derived, type), _SKIP),
    )
    kind = next((k for base, k in checks if issubclass(cls, base)), None)
    if kind is None:
        instances_callable = any("__call__" in vars(base) for base in cls.__mro__)
        if instances_callable or cls.__module__ == "itertools":
            kind = _SKIP
        elif issubclass(cls, Mapping):
            kind = _MAPPING
        elif issubclass(cls, list | tuple):
            kind = _SEQ
        elif issubclass(cls, set | frozenset):
            kind = _SET
        else:
            kind = _RECORD
    _KINDS[cls] = kind
    return kind


def _plan(cls: type, scope: str) -> tuple[bool, _Fill]:
    params = getattr(cls, "__dataclass_params__", None)
    frozen = params is not None and params.frozen
    names = [f.name for f in dataclasses.fields(cls) if not f.metadata.get("derived")]
    plan = (frozen, _compile(names, scope))
    _PLANS[(cls, scope)] = plan
    return plan


def _compile(names: list[str], scope: str) -> _Fill:
    """A function filling one record type's output, field by field, leaves inline.

    Generated once per (type, scope), like ``dataclasses`` generates ``__init__``: the dump
    walks 100k jobs, and a loop over field names with ``getattr`` costs twice as much. Field
    names are Python identifiers (dataclass fields), so they are safe to write into code.
    """
    lines = ["def fill(value, walker, path):", "    out = {}", "    reuse = walker.frozen.get"]
    for name in names:
        child = _scope_for(name, scope)
        leaf = "kind is int or item is None or kind is bool"
        if not child:  # a str Enum (a stage) dumps as itself, as a str does
            leaf += " or isinstance(item, str)"
        lines += [
            f"    item = value.{name}",
            "    kind = type(item)",
            f"    if {leaf}:",
            f"        out[{name!r}] = item",
            "    elif not item and (kind is tuple or kind is list):",
            f"        out[{name!r}] = []",
            "    elif not item and (kind is dict or kind is MappingProxyType):",
            f"        out[{name!r}] = {{}}",
            # a shared frozen value (an owner, an initiator) already dumped: its output again
            f"    elif (hit := reuse((id(item), {child!r}))) is not None:",
            f"        out[{name!r}] = hit",
            "    else:",
            f"        walked = walker.walk(item, path + {'.' + name!r} if path else {name!r},"
            f" {child!r}, {name!r})",
            "        if walked is not OMIT:",
            f"            out[{name!r}] = walked",
        ]
    lines.append("    return out")
    namespace: dict[str, Any] = {"OMIT": _OMIT, "MappingProxyType": MappingProxyType}
    exec("\n".join(lines), namespace)  # generated from field names only
    fill: _Fill = namespace["fill"]
    return fill


class _Walker:
    """One dump. The branch for a value is decided once per type, leaves are copied inline,
    and a frozen value met again (a shared ``Person``, ``.gitattributes``) reuses its output."""

    def __init__(self) -> None:
        self.seen: dict[int, str] = {}
        #: keep walked objects alive so ``id`` values are never reused during one dump
        self.keep: list[object] = []
        self.frozen: dict[tuple[int, str], Any] = {}
        self.misses: dict[type, int] = {}

    def walk(self, value: Any, path: str, scope: str = "", name: str = "") -> Any:
        """``scope``: ``"secret"``, ``"credential"`` or ``""``; ``name``: the field's name."""
        kind = _KINDS.get(type(value))
        if kind is None:
            kind = _classify(type(value))
        if kind == _LEAF:
            return value
        if kind == _STR:
            hide = scope == "credential" or (scope == "secret" and name in ("value", "[]"))
            return redacted(value) if hide else value
        if kind == _RECORD:
            return self._record(value, path, scope)
        if kind == _SEQ:
            return self._sequence(value, path, scope)
        if kind == _MAPPING:
            return self._mapping(value, path, scope)
        return self._other(kind, value, path, scope, name)

    def _other(self, kind: int, value: Any, path: str, scope: str, name: str) -> Any:
        if kind == _ENUM:
            return self.walk(value.value, path, scope, name)
        if kind == _BYTES:
            return self._bytes(value)
        if kind == _SPECIAL:
            return self._special(value, path)
        if kind == _SKIP:
            return _OMIT
        if kind == _FLOAT:
            return value if math.isfinite(value) else repr(value)
        if kind == _DATE:
            return value.isoformat()
        members = [self.walk(v, f"{path}[]", scope, "[]") for v in value]
        return sorted((v for v in members if v is not _OMIT), key=_canonical)

    def _bytes(self, value: bytes | bytearray) -> Any:
        immutable = isinstance(value, bytes)  # the same bytes object always dumps the same
        key = (id(value), "bytes")
        if immutable and key in self.frozen:
            return self.frozen[key]
        out = {"size": len(value), "sha256": hashlib.sha256(value).hexdigest()}
        if immutable:
            self.frozen[key] = out
            self.keep.append(value)
        return out

    def _sequence(self, value: list[Any] | tuple[Any, ...], path: str, scope: str) -> list[Any]:
        if not scope and all(type(item) in _PLAIN for item in value):
            return list(value)
        out = []
        walk = self.walk
        for index, item in enumerate(value):
            kind = type(item)
            if kind in _PLAIN and (not scope or kind is not str):
                out.append(item)
                continue
            plan = _PLANS.get((kind, scope))
            if plan is not None and plan[0] and self.misses.get(kind, 0) > _MEMO_TRIES:
                out.append(plan[1](item, self, f"{path}[{index}]"))  # log lines: straight in
                continue
            walked = walk(item, f"{path}[{index}]", scope, "[]")
            if walked is not _OMIT:
                out.append(walked)
        return out

    def _special(self, value: Any, path: str) -> Any:
        if isinstance(value, VirtualClock):
            state = value.state()
            return {"nowNs": state.now_ns, "mode": state.mode, "speed": state.speed}
        if isinstance(value, Scheduler):
            return [{"dueNs": h.due_ns, "label": h.label} for h in value.pending()]
        if isinstance(value, Accounts):
            if id(value) in self.seen:
                return {"$ref": self.seen[id(value)]}
            self.seen[id(value)] = path
            self.keep.append(value)
            return _accounts(self, value, path)
        if isinstance(value, FaultBook):
            return value.wire()
        digest = hashlib.sha256(repr(value.getstate()).encode()).hexdigest()[:16]
        return {"rngState": digest}

    def _mapping(self, value: Mapping[Any, Any], path: str, scope: str) -> dict[str, Any]:
        if not scope and all(
            type(key) is str and type(item) in _PLAIN and not _scope_for(key, "")
            for key, item in value.items()
        ):
            return dict(sorted(value.items()))  # plain names to plain values: copied as is
        out: dict[str, Any] = {}
        for key, item in value.items():
            text = key if type(key) is str else _key(key)
            shown = redacted(text) if scope == "credential" else text
            walked = self.walk(item, _join(path, text), _scope_for(text, scope), "[]")
            if walked is not _OMIT:
                out[shown] = walked
        return dict(sorted(out.items()))

    def _record(self, value: Any, path: str, scope: str) -> Any:
        cls = type(value)
        plan = _PLANS.get((cls, scope))
        if plan is None:
            if not dataclasses.is_dataclass(value):
                return self._object(value, path, scope)
            plan = _plan(cls, scope)
        frozen, fill = plan
        if frozen:
            return self._frozen(value, fill, path, scope)
        if id(value) in self.seen:
            return {"$ref": self.seen[id(value)]}
        self.seen[id(value)] = path
        self.keep.append(value)
        return fill(value, self, path)

    def _frozen(self, value: Any, fill: _Fill, path: str, scope: str) -> Any:
        """A frozen value met again reuses its first output (shared ``Person``, spec, files).

        A type whose values are never met twice (log lines) stops being looked up after
        ``_MEMO_TRIES`` misses: walking it again gives the same output, the memo only saves time.
        """
        cls = type(value)
        misses = self.misses.get(cls, 0)
        if misses > _MEMO_TRIES:
            return fill(value, self, path)
        key = (id(value), scope)
        memo = self.frozen.get(key)
        if memo is not None:
            self.misses[cls] = -(1 << 62)  # shared values exist: keep looking them up
            return memo
        self.misses[cls] = misses + 1
        registered = len(self.seen)
        out = fill(value, self, path)
        # Reusing the output is exact only when no mutable record was first met inside it
        # (walked again, it would show as a ``$ref``).
        if len(self.seen) == registered:
            self.frozen[key] = out
            self.keep.append(value)
        return out

    def _object(self, value: Any, path: str, scope: str) -> Any:
        if id(value) in self.seen:
            return {"$ref": self.seen[id(value)]}
        self.seen[id(value)] = path
        self.keep.append(value)
        if not hasattr(value, "__dict__"):
            return {"$type": type(value).__name__}
        out: dict[str, Any] = {}
        for attr in sorted(vars(value)):
            walked = self.walk(
                getattr(value, attr), _join(path, attr), _scope_for(attr, scope), attr
            )
            if walked is not _OMIT:
                out[attr] = walked
        return out


@functools.lru_cache(maxsize=4096)
def _scope_for(name: str, scope: str) -> str:
    if scope == "credential" or _CREDENTIAL.search(name):
        return "credential"
    if scope == "secret" or _SECRET.search(name):
        return "secret"
    return ""


def _key(key: Any) -> str:
    if isinstance(key, Enum):
        key = key.value
    return key if isinstance(key, str) else json.dumps(key, default=str)


def _join(path: str, attr: str) -> str:
    return f"{path}.{attr}" if path else attr


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _accounts(walker: _Walker, accounts: Accounts, path: str) -> dict[str, Any]:
    tokens = sorted(
        (
            {"user": t.user, "role": t.role, "name": t.display_name}
            for t in accounts.tokens.values()
        ),
        key=_canonical,
    )
    return {
        "users": walker.walk(accounts.users, _join(path, "users")),
        "orgs": walker.walk(accounts.orgs, _join(path, "orgs")),
        "tokens": tokens,
    }


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The dump builds millions of dicts and lists and no cycle: without a pause, the cycle
    collector re-scans the whole (growing) heap again and again, which made a dump of 100k
    jobs take quadratic time. Pausing it is process-wide, so it is switched back on after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def dump_state(hub: FakeHub) -> dict[str, Any]:
    """Everything ``hub`` holds, as plain JSON data (see the module docstring)."""
    with hub.ctx.transaction(), _no_cycle_collection():
        walker = _Walker()
        state = walker.walk(dict(vars(hub)), "")
    assert isinstance(state, dict)
    return state


__all__ = ["dump_state", "redacted"]
