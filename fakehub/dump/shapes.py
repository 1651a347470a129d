"""Record converters chosen from a record type's annotations: the dump's fast path.

The general walk asks of every field value what it is (a leaf? a list? a mapping? a frozen
record?) before converting it. A record's annotations already say what its fields hold: a
job's ``owner`` is a ``Person``, its ``lines`` a list of ``LogLine``, its ``stage`` a str
``Enum``. The converter here is generated per record type from them: one step per field doing
only what its annotation calls for, every leaf checked in one call. A value that is not what
the annotation says, or that needs the walker (a mutable record, bytes, a float, a secret
string), raises :class:`~fakehub.dump.pure.Impure` before anything is registered, and the record
is walked the general way: annotations choose the path, never the output.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Literal, Union

from fakehub.dump.codegen import generated
from fakehub.dump.kinds import scope_for

#: ``convert(record, shared)``: a record of exactly the type it was made for, and the dump's
#: shared outputs (:class:`~fakehub.dump.sharing.Shared`), where values met before are reused
Shaped = Callable[[Any, Any], dict[str, Any]]
#: the converter of a frozen record type, ``None`` if it has none (:func:`fakehub.dump.pure.converter`)
_Nested = Callable[[type], Callable[[Any], Any] | None]
#: lines of generated code, ``"leaf"`` (the value dumps as itself) or ``None`` (not expressible)
_Steps = list[str] | str | None

_NONE_TYPE = type(None)


def compile_shaped(cls: type, helpers: Mapping[str, Any], nested: _Nested) -> Shaped | None:
    """The converter of ``cls`` records, ``None`` if its annotations do not say enough.

    ``helpers``: what the generated code calls (:data:`fakehub.dump.pure.HELPERS`);
    ``nested``: the converter of a frozen record type a field holds, ``None`` if it has none.
    """
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # an annotation that does not resolve here
        return None
    names = [f.name for f in dataclasses.fields(cls) if not f.metadata.get("derived")]
    namespace: dict[str, Any] = dict(helpers)
    lines = _fields(names, hints, namespace, nested)
    if lines is None:
        return None
    shown = ", ".join(f"{name!r}: v{index}" for index, name in enumerate(names))
    source = [*_START, *lines, f"    return {{{shown}}}"]
    convert: Shaped = generated(source, f"shape: {cls.__qualname__}", namespace)
    return convert


_START = ("def convert(value, shared):", "    memo, keep = shared.outputs, shared.keep.append")


def _fields(
    names: list[str], hints: dict[str, Any], namespace: dict[str, Any], nested: _Nested
) -> list[str] | None:
    """The lines turning each field (local ``v<index>``) into its output; every leaf is
    checked in one call at the end (a stage, a name, times...)."""
    leaves: list[str] = []
    lines: list[str] = []
    for index, name in enumerate(names):
        item = f"v{index}"
        lines.append(f"    {item} = value.{name}")
        if scope_for(name, ""):  # shows nothing of a value: numbers, flags and empties pass
            lines.append(f"    {item} = scoped({item})")
            continue
        steps = _steps(item, hints.get(name, Any), namespace, nested)
        if steps is None:
            return None
        if steps == "leaf":
            leaves.append(item)
        else:
            lines += steps
    if leaves:
        types_of = ", ".join(f"type({item})" for item in leaves)
        lines += [f"    if not LEAVES.issuperset(({types_of},)):", "        raise Impure"]
    return lines


def _steps(item: str, hint: Any, namespace: dict[str, Any], nested: _Nested) -> _Steps:
    """The lines replacing local ``item`` by its output, ``"leaf"`` when it dumps as itself
    (checked with the others), ``None`` when the annotation says too little."""
    if _leaf(hint):
        return "leaf"
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        return _optional(item, hint, namespace, nested)
    if origin in (tuple, list, collections.abc.Sequence):
        return _items(item, hint, namespace, nested)
    if origin in (dict, collections.abc.Mapping):
        return [
            f"    kind = type({item})",
            "    if kind is not dict and kind is not MappingProxyType:",
            "        raise Impure",
            f"    {item} = mapping({item}) if {item} else NOTHING",
        ]
    convert = nested(hint) if _record_type(hint) else None
    if convert is None:
        return None  # a mutable record, a float, bytes...: the walker's
    return _record(item, convert, namespace)


def _optional(item: str, hint: Any, namespace: dict[str, Any], nested: _Nested) -> _Steps:
    """``X | None``: ``None`` as itself, anything else as ``X``."""
    rest = [arg for arg in typing.get_args(hint) if arg is not _NONE_TYPE]
    if len(rest) != 1 or len(rest) == len(typing.get_args(hint)):
        return None  # a union of several kinds: the walker decides
    inner = _steps(item, rest[0], namespace, nested)
    if inner is None:  # None is the usual value (a job's pending timeout): any other walks
        return [f"    if {item} is not None:", "        raise Impure"]
    if inner == "leaf":
        return "leaf"
    return [f"    if {item} is not None:", *(f"    {line}" for line in inner)]


def _items(item: str, hint: Any, namespace: dict[str, Any], nested: _Nested) -> _Steps:
    """A tuple or list: of leaves (a command), of records of one type (log lines, stages:
    each converted, shared ones reused), or of what :func:`~fakehub.dump.pure.sequence` sorts
    out."""
    lines = [
        f"    kind = type({item})",
        "    if kind is not tuple and kind is not list:",
        "        raise Impure",
        f"    if not {item}:",
        f"        {item} = NONE",
    ]
    args = [arg for arg in typing.get_args(hint) if arg is not Ellipsis]
    each = nested(args[0]) if len(args) == 1 and _record_type(args[0]) else None
    if each is None:
        return [
            *lines,
            f"    elif LEAVES.issuperset(map(type, {item})):",
            f"        {item} = list({item})",
            "    else:",
            f"        {item} = sequence({item}, shared)",
        ]
    name, misses = f"convert_{item}", f"misses_{item}"
    namespace[name], namespace[misses] = each, [0]
    return [
        *lines,
        f"    elif {misses}[0] > TRIES:",
        f"        {item} = [{name}(each) for each in {item}]",
        "    else:",
        f"        {item} = [memo.get(id(each)) or shared.remember(each, {name}, {misses})"
        f" for each in {item}]",
    ]


def _record(item: str, convert: Callable[[Any], Any], namespace: dict[str, Any]) -> list[str]:
    """A frozen record. One met before in this dump (one owner for many jobs) reuses its
    output; a field whose values are never met twice (a job's spec) stops being remembered
    after ``TRIES`` misses with no hit: remembering 100k specs cost more than it saved."""
    name, misses = f"convert_{item}", f"misses_{item}"
    namespace[name], namespace[misses] = convert, [0]
    return [
        f"    if {misses}[0] > TRIES:",
        f"        {item} = {name}({item})",
        f"    elif (hit := memo.get(id({item}))) is None:",
        f"        {misses}[0] += 1",
        f"        memo[id({item})] = {item}_out = {name}({item})",
        f"        keep({item})",
        f"        {item} = {item}_out",
        "    else:",
        f"        {misses}[0] = -(1 << 62)",
        f"        {item} = hit",
    ]


def _leaf(hint: Any) -> bool:
    """Whether values annotated ``hint`` dump as themselves (``None``, flags, ints, strings,
    their ``Enum``s and literals; not floats: a non-finite one dumps as its ``repr``)."""
    if hint in (int, str, bool, _NONE_TYPE, None):
        return True
    if typing.get_origin(hint) is Literal:
        return all(type(arg) in (int, str, bool, _NONE_TYPE) for arg in typing.get_args(hint))
    return isinstance(hint, type) and issubclass(hint, Enum) and issubclass(hint, int | str)


def _record_type(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)
