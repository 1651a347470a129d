"""How each type is dumped, decided once per type: its branch, and for records generated code.

Also the naming rules every branch shares: redaction scopes, mapping keys, paths.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import random
import re
import threading
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any

from fakehub.clock import VirtualClock
from fakehub.derived import Derived
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
_Fill = Callable[[Any, Any, str], dict[str, Any]]  # (record, the walker, path)
#: per (record type, scope): whether it is frozen, and its fill function
_PLANS: dict[tuple[type, str], tuple[bool, _Fill]] = {}


def _classify(cls: type) -> int:
    """The walker's branch for values of ``cls``, the checks applied in this order."""
    checks: tuple[tuple[Any, int], ...] = (
        (bool | int, _LEAF),
        (str, _STR),
        (float, _FLOAT),
        (Enum, _ENUM),
        (bytes | bytearray, _BYTES),
        (datetime | date, _DATE),
        (
            (VirtualClock, Scheduler, Accounts, FaultBook, BlobStore, XetCas, random.Random),
            _SPECIAL,
        ),
        ((*_LOCKS, Derived, type), _SKIP),
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
