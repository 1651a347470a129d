"""What kind of value each type holds for the dump (decided once per type), and the names that
open a secret or credential scope."""

from __future__ import annotations

import functools
import random
import re
import threading
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
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
_SCOPED = re.compile(r"secret|token|password|credential", re.IGNORECASE)
_LOCKS = (type(threading.Lock()), type(threading.RLock()))

#: how the walker treats values of a type (decided once per type: see ``classify``)
_LEAF, _STR, _FLOAT, _ENUM, _BYTES, _DATE, _SPECIAL, _SKIP, _MAPPING, _SEQ, _SET, _RECORD = range(
    12
)
_KINDS: dict[type, int] = {type(None): _LEAF, bool: _LEAF, int: _LEAF, str: _STR}
#: types whose values dump as themselves outside a secret or credential scope (every ``int``
#: and ``str`` subclass met joins them)
LEAVES: set[type] = {type(None), bool, int, str}


def classify(cls: type) -> int:
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
    if kind in (_LEAF, _STR):
        LEAVES.add(cls)
    _KINDS[cls] = kind
    return kind


@functools.lru_cache(maxsize=4096)
def scope_for(name: str, scope: str) -> str:
    """The scope a value under ``name`` is dumped in, inside ``scope``."""
    if scope == "credential" or _CREDENTIAL.search(name):
        return "credential"
    if scope == "secret" or _SECRET.search(name):
        return "secret"
    return ""


def opens_scope(name: str) -> bool:
    """Whether a value under ``name`` is dumped in a secret or credential scope (a mapping's
    keys are often unique, job ids: those are not kept)."""
    found = _OPENS.get(name)
    if found is None:
        if name.isascii():  # the same answer as the case-blind pattern, without a regex
            low = name.lower()
            found = "secret" in low or "token" in low or "password" in low or "credential" in low
        else:  # case-blind, the pattern also matches some non-ASCII letters (U+017F for "s")
            found = _SCOPED.search(name) is not None
        if len(_OPENS) < 4096:
            _OPENS[name] = found
    return found


_OPENS: dict[str, bool] = {}
