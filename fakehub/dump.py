"""``dump_state(hub)``: a canonical, JSON-able snapshot of everything a hub holds.

The walk is generic, so new records (Spaces, Jobs, billing, ...) show up without touching this
module: dataclasses by field, plain objects by attribute, mappings with sorted keys, enums by
value, bytes as size and sha256. Mutable records reached a second time become
``{"$ref": "<path of first sight>"}`` (services share stores and records); frozen values are
always inlined. The same state always gives the same dump, so two dumps compare with ``==``.

Redaction: under a name containing ``secret``, the ``value`` field of records and the values of
mappings become ``"<set>"``; under ``token``, ``password`` or ``credential``, every string does,
and mapping keys become ``"<set:1>"``, ``"<set:2>"``, ... in insertion order. Nothing derived
from the value is shown: a digest of a short secret can be reversed by guessing (and the state
API may be reachable by others than the test). Tokens in the accounts are listed by user, role
and name only. The walk starts from the mapping the hub hands over
(:meth:`fakehub.hub.FakeHub.holding`), which leaves the request log out: it is not state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import random
import re
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from fakehub.clock import VirtualClock
from fakehub.domain.accounts import Accounts
from fakehub.faults.book import FaultBook
from fakehub.scheduler import Scheduler
from fakehub.storage.blobs import BlobStore
from fakehub.storage.xet.cas import XetCas

_SECRET = re.compile(r"secret", re.IGNORECASE)
_CREDENTIAL = re.compile(r"token|password|credential", re.IGNORECASE)
_LOCKS = (type(threading.Lock()), type(threading.RLock()))
_OMIT = object()


REDACTED = "<set>"


def redacted(value: str) -> str:
    """What the dump shows for a secret ``value``: that it is set, nothing more."""
    return REDACTED


class _Walker:
    def __init__(self) -> None:
        self.seen: dict[int, str] = {}
        #: keep walked objects alive so ``id`` values are never reused during one dump
        self.keep: list[object] = []

    def walk(self, value: Any, path: str, scope: str = "", name: str = "") -> Any:
        """``scope``: ``"secret"``, ``"credential"`` or ``""``; ``name``: the field's name."""
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, str):
            hide = scope == "credential" or (scope == "secret" and name in ("value", "[]"))
            return redacted(value) if hide else value
        if isinstance(value, float):
            return value if math.isfinite(value) else repr(value)
        if isinstance(value, Enum):
            return self.walk(value.value, path, scope, name)
        if isinstance(value, bytes | bytearray):
            return {"size": len(value), "sha256": hashlib.sha256(value).hexdigest()}
        if isinstance(value, datetime | date):
            return value.isoformat()
        special = self._special(value, path)
        if special is not _OMIT:
            return special
        if _skipped(value):
            return _OMIT
        if isinstance(value, Mapping):
            return self._mapping(value, path, scope)
        if isinstance(value, list | tuple):
            items = (self.walk(v, f"{path}[{i}]", scope, "[]") for i, v in enumerate(value))
            return [v for v in items if v is not _OMIT]
        if isinstance(value, set | frozenset):
            members = [self.walk(v, f"{path}[]", scope, "[]") for v in value]
            return sorted((v for v in members if v is not _OMIT), key=_canonical)
        return self._record(value, path, scope)

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
        if isinstance(value, BlobStore | XetCas):
            return value.summary()
        if isinstance(value, random.Random):
            digest = hashlib.sha256(repr(value.getstate()).encode()).hexdigest()[:16]
            return {"rngState": digest}
        return _OMIT

    def _mapping(self, value: Mapping[Any, Any], path: str, scope: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for index, (key, item) in enumerate(value.items(), start=1):
            text = _key(key)
            shown = f"<set:{index}>" if scope == "credential" else text
            walked = self.walk(item, _join(path, text), _scope_for(text, scope), "[]")
            if walked is not _OMIT:
                out[shown] = walked
        return dict(sorted(out.items()))

    def _record(self, value: Any, path: str, scope: str) -> Any:
        params = getattr(value, "__dataclass_params__", None)
        frozen = params is not None and params.frozen
        if not frozen:
            if id(value) in self.seen:
                return {"$ref": self.seen[id(value)]}
            self.seen[id(value)] = path
            self.keep.append(value)
        if dataclasses.is_dataclass(value):
            names = [f.name for f in dataclasses.fields(value)]
        elif hasattr(value, "__dict__"):
            names = sorted(vars(value))
        else:
            return {"$type": type(value).__name__}
        out: dict[str, Any] = {}
        for attr in names:
            walked = self.walk(
                getattr(value, attr), _join(path, attr), _scope_for(attr, scope), attr
            )
            if walked is not _OMIT:
                out[attr] = walked
        return out


def _skipped(value: Any) -> bool:
    return (
        isinstance(value, (*_LOCKS, type))
        or callable(value)
        or type(value).__module__ == "itertools"
    )


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


class Holder(Protocol):
    """What hands its state over for a dump: a hub (it holds its lock meanwhile)."""

    def holding(self) -> AbstractContextManager[Mapping[str, Any]]: ...


def dump_state(source: Holder | Mapping[str, Any]) -> dict[str, Any]:
    """Everything ``source`` holds, as plain JSON data (see the module docstring)."""
    if isinstance(source, Mapping):
        return _dump(source)
    with source.holding() as held:
        return _dump(held)


def _dump(held: Mapping[str, Any]) -> dict[str, Any]:
    state = _Walker().walk(dict(held), "")
    assert isinstance(state, dict)
    return state
