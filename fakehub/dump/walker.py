"""The walk of one dump: each value by its type's plan (:mod:`.plans`)."""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Mapping
from typing import Any

from fakehub.clock import VirtualClock
from fakehub.domain.accounts import Accounts
from fakehub.dump import pure, sharing
from fakehub.dump.kinds import (
    _BYTES,
    _DATE,
    _ENUM,
    _FLOAT,
    _KINDS,
    _LEAF,
    _MAPPING,
    _RECORD,
    _SEQ,
    _SKIP,
    _SPECIAL,
    _STR,
    opens_scope,
)
from fakehub.dump.kinds import classify as _classify
from fakehub.dump.kinds import scope_for as _scope_for
from fakehub.dump.plans import (
    _MEMO_TRIES,
    _OMIT,
    _PLAIN,
    _PLANS,
    _canonical,
    _Fill,
    _join,
    _key,
    _plan,
    redacted,
)
from fakehub.faults.book import FaultBook
from fakehub.scheduler import Scheduler
from fakehub.storage.blobs import BlobStore
from fakehub.storage.xet.cas import XetCas
from fakehub.wire.control.faults import fault_json


class _Walker:
    """One dump. The branch for a value is decided once per type, leaves are copied inline,
    and a frozen value met again (a shared ``Person``, ``.gitattributes``) reuses its output."""

    def __init__(self, shaped: bool = True) -> None:
        #: whether records may take the converters their annotations allow (:mod:`.shapes`);
        #: off, every record is walked field by field (the same output: tests compare the two)
        self.shaped = shaped
        self.seen: dict[int, str] = {}
        #: keep walked objects alive so ``id`` values are never reused during one dump
        self.keep: list[object] = []
        self.frozen: dict[tuple[int, str], Any] = {}
        #: outputs of frozen records of pure values met as a field or in a list (kept alive)
        self.shared = sharing.Shared(self.keep)
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
        if not scope and value:
            try:
                return pure.sequence(value)
            except pure.Impure:
                pass  # walked the general way
        return self.sequence_walked(value, path, scope)

    def sequence_walked(
        self, value: list[Any] | tuple[Any, ...], path: str, scope: str
    ) -> list[Any]:
        """A list or tuple item by item (what is not pure: records met by reference...)."""
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
            return [fault_json(fault) for fault in value.all()]
        if isinstance(value, BlobStore | XetCas):
            return value.summary()
        digest = hashlib.sha256(repr(value.getstate()).encode()).hexdigest()[:16]
        return {"rngState": digest}

    def _mapping(self, value: Mapping[Any, Any], path: str, scope: str) -> dict[str, Any]:
        if not scope and value:
            try:
                return pure.mapping(value)  # plain names to pure values
            except pure.Impure:
                pass  # walked the general way
        return self.mapping_walked(value, path, scope)

    def mapping_walked(self, value: Mapping[Any, Any], path: str, scope: str) -> dict[str, Any]:
        """A mapping entry by entry, keys sorted (redacted under a credential)."""
        out: dict[str, Any] = {}
        plans, walk, mutable = _PLANS, self.walk, self.mutable
        # the common case, a store of records of one type by id (100k jobs): straight to the
        # plan, looked up again when the type changes or it had none yet (the general walk of
        # the first record makes it)
        last: type | None = None
        plan: tuple[bool, _Fill] | None = None
        for index, (key, item) in enumerate(value.items(), start=1):
            if not scope and type(key) is str and not opens_scope(key):
                if type(item) is not last or plan is None:
                    last = type(item)
                    plan = plans.get((last, ""))
                if plan is not None and not plan[0]:
                    out[key] = mutable(item, plan[1], f"{path}.{key}" if path else key)
                    continue
            text = key if type(key) is str else _key(key)
            shown = f"<set:{index}>" if scope == "credential" else text
            child = _scope_for(text, scope) if scope or opens_scope(text) else ""
            walked = walk(item, f"{path}.{text}" if path else text, child, "[]")
            if walked is not _OMIT:
                out[shown] = walked
        return {key: out[key] for key in sorted(out)}  # keys are unique: sorting them is enough

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
        return self.mutable(value, fill, path)

    def mutable(self, value: Any, fill: _Fill, path: str) -> Any:
        """A mutable record: a ``$ref`` to where it was first met, or its fields (noted)."""
        first = self.seen.get(id(value))
        if first is not None:
            return {"$ref": first}
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
