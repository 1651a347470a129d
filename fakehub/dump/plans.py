"""How each type is dumped, decided once per type: its branch, and for records generated code.

Also the naming rules every branch shares: redaction scopes, mapping keys, paths.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from enum import Enum
from typing import Any

from fakehub.dump import pure, shapes
from fakehub.dump.codegen import generated
from fakehub.dump.kinds import scope_for

_OMIT = object()

REDACTED = "<set>"


def redacted(value: str) -> str:
    """What the dump shows for a secret ``value``: that it is set, nothing more."""
    return REDACTED


_scope_for = scope_for
#: misses after which a frozen type's values are no longer looked up for reuse
_MEMO_TRIES = 512
#: values that dump as themselves (outside a secret or credential scope)
_PLAIN = frozenset({type(None), bool, int, str})
#: fills a record's output from its fields (``_compile``)
_Fill = Callable[[Any, Any, str], dict[str, Any]]  # (record, the walker, path)
#: per (record type, scope): whether it is frozen, and its fill function
_PLANS: dict[tuple[type, str], tuple[bool, _Fill]] = {}


def _plan(cls: type, scope: str) -> tuple[bool, _Fill]:
    params = getattr(cls, "__dataclass_params__", None)
    frozen = params is not None and params.frozen
    names = [f.name for f in dataclasses.fields(cls) if not f.metadata.get("derived")]
    plan = (frozen, _compile(names, scope, None if scope else pure.shaped(cls), cls))
    _PLANS[(cls, scope)] = plan
    return plan


def _compile(
    names: list[str], scope: str, shaped: shapes.Shaped | None = None, cls: type = object
) -> _Fill:
    """A function filling one record type's output, field by field, leaves inline.

    Generated once per (type, scope), like ``dataclasses`` generates ``__init__``: the dump
    walks 100k jobs, and a loop over field names with ``getattr`` costs twice as much. Field
    names are Python identifiers (dataclass fields), so they are safe to write into code. The
    output is built in one go with every field as it is, then the fields that are not leaves
    are replaced (in field order: the order the walker meets records in decides ``$ref``
    paths). Lists and mappings of pure values (:mod:`.pure`) are converted without the walker.
    """
    lines = ["def fill(value, walker, path):", *(_FAST if shaped is not None else ())]
    lines += [f"    v{index} = value.{name}" for index, name in enumerate(names)]
    shown = ", ".join(f"{name!r}: v{index}" for index, name in enumerate(names))
    lines += [
        f"    out = {{{shown}}}",
        "    reuse, shared = walker.frozen.get, walker.shared",
        "    pure_memo = shared.outputs",
    ]
    for index, name in enumerate(names):
        lines += _field(f"v{index}", name, _scope_for(name, scope))
    lines.append("    return out")
    namespace = {
        **pure.HELPERS,
        "OMIT": _OMIT,
        "converter": pure.converter,
        "strike": pure.strike,
        "STRIKES_OUT": pure.STRIKES_OUT,
        "failed": [0] * len(names),
        "fast": [shaped] if shaped is not None else [],
        "refused": [0],
    }
    fill: _Fill = generated(lines, f"fill: {cls.__qualname__}", namespace)
    return fill


#: the start of a fill whose type has a converter its annotations allow (:mod:`.shapes`): that
#: converter first, until it has handed ``STRIKES_OUT`` records back to the walk
_FAST = (
    "    if fast and walker.shaped:",
    "        try:",
    "            return fast[0](value, walker.shared)",
    "        except Impure:",
    "            refused[0] += 1",
    "            if refused[0] >= STRIKES_OUT:",
    "                fast.clear()",
)


def _field(item: str, name: str, child: str) -> list[str]:
    """The lines replacing field ``name`` (held in local ``item``) when it is not a leaf."""
    key, walk = repr(name), f"walker.walk({item}, path + {'.' + name!r} if path else {name!r}, "
    walk += f"{child!r}, {name!r})"
    if child:  # redaction applies: only numbers, flags and empty containers stay as they are
        lines = [
            f"    if not ({item} is None or type({item}) is int or type({item}) is bool):",
            f"        kind = type({item})",
            f"        if not {item} and (kind is tuple or kind is list):",
            f"            out[{key}] = NONE",
            f"        elif not {item} and (kind is dict or kind is MappingProxyType):",
            f"            out[{key}] = NOTHING",
        ]
    else:  # a str Enum (a stage) dumps as itself, as a str does
        lines = [f"    if type({item}) not in LEAVES:", *_pure_field(item, key, walk)]
    return [
        *lines,
        # a shared frozen value (a Space's files) already dumped: its output again
        f"        elif (hit := reuse((id({item}), {child!r}))) is not None:",
        f"            out[{key}] = hit",
        "        else:",
        f"            walked = {walk}",
        "            if walked is OMIT:",
        f"                del out[{key}]",
        "            else:",
        f"                out[{key}] = walked",
    ]


def _pure_field(item: str, key: str, walk: str) -> list[str]:
    """Lists, mappings and frozen records of pure values (:mod:`.pure`), outside any secret."""
    joined = f"path + {'.' + key.strip(chr(39))!r} if path else {key}"
    lines = [f"        kind = type({item})"]
    for kinds, convert, empty in (
        ("kind is tuple or kind is list", "sequence", "NONE"),
        ("kind is dict or kind is MappingProxyType", "mapping", "NOTHING"),
    ):
        # A field that keeps holding impure values (a commit's files: bytes) stops being tried
        # (an exception per try costs more than the walk): its count of failed tries.
        failed = f"failed[{item[1:]}]"
        lines += [
            f"        {'if' if convert == 'sequence' else 'elif'} {kinds}:",
            f"            if not {item}:",
            f"                out[{key}] = {empty}",
            f"            elif {failed} < STRIKES_OUT:",
            "                try:",
            f"                    out[{key}] = {convert}({item}{', shared' if convert == 'sequence' else ''})",
            "                except Impure:",  # taken item by item (no second pure attempt)
            f"                    {failed} += 1",
            f"                    out[{key}] = walker.{convert}_walked({item}, {joined}, '')",
            "            else:",
            f"                out[{key}] = walker.{convert}_walked({item}, {joined}, '')",
        ]
    return [
        *lines,
        # a frozen record (a spec, an owner): converted, and its output shared with the next
        # field holding the same value (one owner for many jobs)
        f"        elif (hit := pure_memo.get(id({item}))) is not None:",
        f"            out[{key}] = hit",
        "        elif (convert := converter(kind)) is not None:",
        "            try:",
        f"                out[{key}] = pure_memo[id({item})] = convert({item})",
        f"                walker.keep.append({item})",
        "            except Impure:",
        "                strike(kind)",
        f"                out[{key}] = {walk}",
    ]


def _key(key: Any) -> str:
    if isinstance(key, Enum):
        key = key.value
    return key if isinstance(key, str) else json.dumps(key, default=str)


def _join(path: str, attr: str) -> str:
    return f"{path}.{attr}" if path else attr


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
