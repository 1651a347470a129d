"""Pure values: what dumps without the walker's bookkeeping.

A value made only of leaves (``None``, ``bool``, ``int``, ``str`` and their subclasses, such as
a str ``Enum`` stage), lists and tuples of pure values, ``str``-keyed plain mappings of them and
frozen records holding them dumps the same wherever it is met: it has no mutable record inside
(nothing to register for a ``$ref``, so its path does not matter) and, outside a secret or
credential scope, nothing to redact. Such values (a job's log lines, stage events and marks,
billing periods, a spec's command and labels) are converted here by generated code per frozen
record type, without a path string or a walker call per value: the 100k-job dump spends most of
its time on them. Anything else raises :class:`Impure` and the walker takes it the general way,
so the output is the same either way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from fakehub.dump import shapes
from fakehub.dump.codegen import generated
from fakehub.dump.kinds import _KINDS, _RECORD, LEAVES, classify, opens_scope
from fakehub.dump.sharing import NONE, NOTHING, Shared


class Impure(Exception):
    """A value the walker must take (a mutable record, bytes, a float, a set, a secret...)."""


_Convert = Callable[[Any], Any]


#: per type: its generated converter, or ``None`` when its values are never pure
_PURE: dict[type, _Convert | None] = {}
_CONTAINERS = (list, tuple, dict, MappingProxyType)
#: a record type whose values turned out impure this many times is no longer tried
STRIKES_OUT = 256
_strikes: dict[type, int] = {}


def converter(kind: type) -> _Convert | None:
    """The converter of a record type's values, ``None`` if they are never pure."""
    found = _PURE.get(kind, _compile)
    return _compile(kind) if found is _compile else found


def value(item: Any) -> Any:
    """The dump of a pure ``item``; raises :class:`Impure` for anything else."""
    kind = type(item)
    if kind in LEAVES:
        return item
    if kind is list or kind is tuple:
        return [each if type(each) in LEAVES else value(each) for each in item]
    if kind is dict or kind is MappingProxyType:
        return mapping(item)
    convert = _PURE.get(kind, _compile)
    if convert is _compile:
        convert = _compile(kind)
    if convert is None:
        raise Impure
    return convert(item)


def mapping(items: Mapping[Any, Any]) -> dict[str, Any]:
    """A plain mapping with ``str`` keys (none of them naming a secret), sorted by key."""
    plain = LEAVES.issuperset(map(type, items.values()))
    if not plain:  # fails fast on a store of records (100k jobs) or a Space's files (bytes)
        for kind in set(map(type, items.values())):
            if kind not in LEAVES and kind not in _CONTAINERS and converter(kind) is None:
                raise Impure
    if not _PLAIN_KEYS.issuperset(items):
        _check_keys(items)
    if plain:
        return dict(sorted(items.items()))
    return dict(sorted((k, v if type(v) in LEAVES else value(v)) for k, v in items.items()))


#: ``str`` keys met that open no scope (bounded: job ids as keys are many and unique)
_PLAIN_KEYS: set[str] = set()


def _check_keys(items: Mapping[Any, Any]) -> None:
    for key in items:
        if type(key) is not str or opens_scope(key):
            raise Impure
        if len(_PLAIN_KEYS) < 4096:
            _PLAIN_KEYS.add(key)


def sequence(items: list[Any] | tuple[Any, ...], shared: Shared | None = None) -> list[Any]:
    """A non-empty list or tuple of pure values (typically leaves, or records of one type:
    each record's converter checks its type and hands any other value to :func:`value`).
    Records met before in the same dump reuse their output when ``shared`` is given."""
    kind = type(items[0])
    if kind in LEAVES:
        if LEAVES.issuperset(map(type, items)):
            return list(items)
        return [value(item) for item in items]
    if kind in _CONTAINERS:
        return [value(item) for item in items]
    convert = _PURE.get(kind, _compile)
    if convert is _compile:
        convert = _compile(kind)
    if convert is None:
        raise Impure  # a list of mutable records (or other values the walker takes)
    try:
        if shared is None:
            return [convert(item) for item in items]
        return shared.convert_all(items, kind, convert)
    except Impure:
        strike(kind)
        raise


def strike(kind: type) -> None:
    """Values of record type ``kind`` were impure once more (a Space's commits hold bytes):
    after :data:`STRIKES_OUT` times, its values go straight to the walker."""
    _strikes[kind] = count = _strikes.get(kind, 0) + 1
    if count >= STRIKES_OUT:
        _PURE[kind] = None


def _compile(kind: type) -> _Convert | None:
    """The converter of a frozen record type: one function building its output field by field.

    Generated once per type (field names are identifiers, safe to write into code). A field
    whose name opens a secret or credential scope must be empty or a number to stay pure.
    """
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen or not _plain_record(kind):
        _PURE[kind] = None
        return None
    names = [f.name for f in dataclasses.fields(kind) if not f.metadata.get("derived")]
    lines = [
        "def convert(record):",
        "    if type(record) is not KIND:",
        "        return value(record)",
    ]
    for index, name in enumerate(names):
        lines.append(f"    v{index} = record.{name}")
        if opens_scope(name):  # even a str is not itself there
            lines += _inline_scoped(f"v{index}")
        else:
            lines += _inline(f"v{index}")
    shown = ", ".join(f"{name!r}: v{index}" for index, name in enumerate(names))
    lines.append(f"    return {{{shown}}}")
    namespace = {**HELPERS, "KIND": kind, "value": value}
    convert: _Convert = generated(lines, f"pure: {kind.__qualname__}", namespace)
    _PURE[kind] = convert
    return convert


def shaped(kind: type) -> shapes.Shaped | None:
    """The converter :mod:`.shapes` generates from ``kind``'s annotations, for records of
    exactly ``kind`` (an unexpected or impure value raises :class:`Impure`)."""
    return shapes.compile_shaped(kind, HELPERS, converter)


def _inline(item: str) -> list[str]:
    """Converting local ``item`` with the common cases (leaves, tuples of leaves) inline."""
    return [
        f"    kind = type({item})",
        "    if kind not in LEAVES:",
        "        if kind is tuple or kind is list:",
        f"            {item} = NONE if not {item} else list({item})"
        f" if LEAVES.issuperset(map(type, {item})) else sequence({item})",
        "        elif kind is dict or kind is MappingProxyType:",
        f"            {item} = mapping({item}) if {item} else NOTHING",
        "        else:",
        f"            {item} = value({item})",
    ]


def _inline_scoped(item: str) -> list[str]:
    """Local ``item`` under a secret or credential name: pure only when it shows nothing."""
    return [
        f"    kind = type({item})",
        "    if kind is dict or kind is MappingProxyType or kind is tuple or kind is list:",
        f"        {item} = scoped({item}) if {item} else NONE if kind is tuple or kind is list else NOTHING",
        f"    elif not ({item} is None or kind is int or kind is bool):",
        f"        {item} = scoped({item})",
    ]


def _plain_record(kind: type) -> bool:
    """A record type the walker would take field by field (not a special or skipped type)."""
    found = _KINDS.get(kind)
    return (found if found is not None else classify(kind)) == _RECORD


def scoped(item: Any) -> Any:
    """A value under a secret or credential name: pure only when it shows nothing."""
    if item is None or isinstance(item, int):
        return item  # a number or a flag shows as itself in any scope
    if (type(item) is list or type(item) is tuple) and not item:
        return NONE
    if (type(item) is dict or type(item) is MappingProxyType) and not item:
        return NOTHING
    raise Impure


#: what converters generated by :mod:`.shapes` call
HELPERS: Mapping[str, Any] = MappingProxyType(
    {
        "LEAVES": LEAVES,
        "Impure": Impure,
        "MappingProxyType": MappingProxyType,
        "NONE": NONE,
        "NOTHING": NOTHING,
        "sequence": sequence,
        "mapping": mapping,
        "scoped": scoped,
        "TRIES": Shared.TRIES,
    }
)
