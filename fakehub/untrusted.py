"""The one parse step for structured input a client sends: JSON, NDJSON lines and YAML.

Python's parsers accept more than the fake can hold: JSON nested a thousand deep raises
``RecursionError``, integers of more than 4,300 digits raise ``ValueError``, and the escape
``"\\ud800"`` decodes to a lone surrogate that no answer can encode again (a stored file name or
secret value like that turned every later read into a 500). Everything goes through here and is
refused, with :class:`InputRefused` naming the problem, *before* any route sees it:

* nesting deeper than :data:`MAX_DEPTH` arrays/objects (mappings/sequences in YAML);
* a number written with more than :data:`MAX_NUMBER_CHARS` characters, or one that overflows
  a double (``1e400``), and the non-JSON constants ``NaN``/``Infinity``;
* a string (key or value) that is not a sequence of Unicode scalar values (a lone surrogate);
* YAML aliases expanding to more than :data:`MAX_NODES` values (the "billion laughs").

Pure functions, no dependency on the rest of fakehub: the HTTP routes, the scenario loader and
the README card parser all use them and map :class:`InputRefused` to their own errors.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

#: deepest nesting of arrays/objects accepted (the Hub's own bodies nest at most ~6 deep)
MAX_DEPTH = 64
#: longest number literal accepted, in characters (a double needs at most ~25)
MAX_NUMBER_CHARS = 100
#: most values a YAML document may expand to once its aliases are followed
MAX_NODES = 200_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_MAYBE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_PARENS = bytes.maketrans(b"[{]}", b"(())")
_OPEN = ord("(")
_BLOCK = 64


class InputRefused(ValueError):
    """Structured input the fake will not take; the message names what was wrong."""


def load_json(raw: bytes | str) -> Any:
    """Parse one JSON document under the limits above (``json.JSONDecodeError`` if malformed)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    _check_json_depth(data)
    try:
        value = json.loads(
            data,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except RecursionError:  # pragma: no cover - the depth scan above refuses it first
        raise InputRefused(f"nested deeper than {MAX_DEPTH} levels") from None
    # A lone surrogate can only come from a \uD800-\uDFFF escape or its raw UTF-8 bytes: only
    # then are the strings walked (escaped emoji, as ensure_ascii writes them, qualify too).
    if _MAYBE_SURROGATE.search(data):
        _check_strings(value)
    return value


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` under the limits above (``yaml.YAMLError`` if malformed)."""
    try:
        value = yaml.load(text, Loader=_LimitedLoader)  # a SafeLoader subclass
    except RecursionError:
        raise InputRefused(f"nested deeper than {MAX_DEPTH} levels") from None
    check_tree(value)
    return value


def _check_strings(value: Any) -> None:
    """Every key and string of a parsed JSON value (no sharing, depth already bounded)."""
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, "key")
            _check_strings(item)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item)


def check_tree(value: Any) -> None:
    """Refuse a parsed value that breaks a limit (depth, strings, expanded size)."""
    _Checker().size(value, 0)


def check_text(text: str, where: str = "string") -> None:
    found = _SURROGATE.search(text)
    if found is not None:
        raise InputRefused(
            f"{where} {_preview(text)} is not valid Unicode: a lone surrogate "
            f"(U+{ord(found.group()):04X}) at character {found.start()}"
        )


class _Checker:
    """Walks a parsed value once per distinct container (YAML aliases share them)."""

    def __init__(self) -> None:
        self._sizes: dict[int, int] = {}
        #: values reached again through an alias, counted as many times as they are reached
        self.repeated = 0

    def size(self, value: Any, depth: int) -> int:
        """How many values ``value`` holds (refusing what breaks a limit on the way)."""
        if isinstance(value, str):
            check_text(value)
            return 1
        if isinstance(value, float) and not math.isfinite(value):
            raise InputRefused(f"number out of range: {value!r}")
        if not isinstance(value, dict | list):
            return 1
        if depth >= MAX_DEPTH:
            raise InputRefused(f"nested deeper than {MAX_DEPTH} levels")
        size = self._sizes.get(id(value))
        if size is not None:
            self.repeated += size
            if self.repeated > MAX_NODES:
                raise InputRefused(f"aliases expand to more than {MAX_NODES} values")
            return size
        size = 1
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                check_text(key, "key")
            size += self.size(item, depth + 1)
        self._sizes[id(value)] = size
        return size


def _check_json_depth(data: bytes) -> None:
    """Refuse deep nesting before parsing, so deep input never recurses (or costs much)."""
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return
    brackets = _JSON_STRING.sub(b"", data).translate(_PARENS, _NOT_BRACKET)
    if _deeper_than_limit(brackets):
        raise InputRefused(f"nested deeper than {MAX_DEPTH} levels")


def _deeper_than_limit(brackets: bytes) -> bool:
    """Does the running depth of ``(``/``)`` ever pass :data:`MAX_DEPTH`?

    Counted a block at a time with ``bytes.count``; a block is walked byte by byte only when it
    could cross the limit, so shallow bodies cost little and deep ones stop at the crossing.
    (Mismatched brackets are the parser's to report.)
    """
    depth = 0
    for start in range(0, len(brackets), _BLOCK):
        block = brackets[start : start + _BLOCK]
        opens = block.count(_OPEN)
        if depth + opens <= MAX_DEPTH:
            depth += 2 * opens - len(block)
            continue
        for byte in block:
            depth += 1 if byte == _OPEN else -1
            if depth > MAX_DEPTH:
                return True
    return False


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise InputRefused(f"number {text[:20]}... has more than {MAX_NUMBER_CHARS} characters")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise InputRefused(f"number {text[:20]}... has more than {MAX_NUMBER_CHARS} characters")
    value = float(text)
    if not math.isfinite(value):
        raise InputRefused(f"number {text} is out of range")
    return value


def _parse_constant(text: str) -> Any:
    raise InputRefused(f"{text} is not a JSON value")


def _preview(text: str) -> str:
    shown = text if len(text) <= 40 else text[:40] + "..."
    return ascii(shown)


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader, with number literals held to :data:`MAX_NUMBER_CHARS`."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Counted here so deep input is refused before the recursive composer exhausts the stack
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise InputRefused(f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        _number_size(node)
        value: int = super().construct_yaml_int(node)
        return value

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        _number_size(node)
        value: float = super().construct_yaml_float(node)
        return value


def _number_size(node: yaml.ScalarNode) -> None:
    text = str(node.value)
    if len(text) > MAX_NUMBER_CHARS:
        raise InputRefused(f"number {text[:20]}... has more than {MAX_NUMBER_CHARS} characters")


_LimitedLoader.add_constructor("tag:yaml.org,2002:int", _LimitedLoader.construct_yaml_int)
_LimitedLoader.add_constructor("tag:yaml.org,2002:float", _LimitedLoader.construct_yaml_float)
