"""The one parse step for untrusted JSON and YAML: what it refuses, and what it lets through."""

from __future__ import annotations

import json

import pytest
import yaml

from fakehub.untrusted import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_NUMBER_CHARS,
    InputRefused,
    load_json,
    load_yaml,
)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "nested deeper than 64 levels"),
        (b"[" * 8_000_000, "nested deeper"),  # unclosed: refused before the parser recurses
        (b'{"a": ' * 65 + b"1" + b"}" * 65, "nested deeper"),
        (b'{"n": ' + b"9" * 5000 + b"}", f"more than {MAX_NUMBER_CHARS} characters"),
        (b"[0." + b"1" * MAX_NUMBER_CHARS + b"]", f"more than {MAX_NUMBER_CHARS} characters"),
        (b"[1e400]", "out of range"),
        (b"[NaN]", "NaN is not a JSON value"),
        (b"[-Infinity]", "-Infinity is not a JSON value"),
        (b'["a\\ud800"]', "lone surrogate (U+D800) at character 1"),
        (b'{"k\\uDFFF": 1}', "key 'k\\udfff'"),
        (b'{"k": {"path": "x\\udc00.txt"}}', "U+DC00"),
        ('["\udc80"]'.encode("utf-8", "surrogatepass"), "U+DC80"),  # raw UTF-8 surrogate bytes
    ],
)
def test_json_refusals_name_the_problem(raw: bytes, message: str) -> None:
    with pytest.raises(InputRefused) as refused:
        load_json(raw)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * MAX_DEPTH + b"]" * MAX_DEPTH,
        b'["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]',  # in a string
        b"[" + b"[[1]]," * 5000 + b"1]",  # many brackets, shallow
        b'["\\ud83d\\ude00"]',  # an escaped emoji is a valid surrogate pair
        b'["\\\\ud800"]',  # an escaped backslash, then text
        b"[" + b"9" * MAX_NUMBER_CHARS + b"]",
        b"[1.5e300, -0.0]",
    ],
)
def test_json_within_the_limits_parses_as_json_does(raw: bytes) -> None:
    assert load_json(raw) == json.loads(raw)


def test_malformed_json_is_still_a_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        load_json(b"[}" * 100)
    with pytest.raises(json.JSONDecodeError):
        load_json(b'{"a": ')


def test_yaml_refusals() -> None:
    with pytest.raises(InputRefused, match="nested deeper"):
        load_yaml("a: " + "[" * 3000 + "]" * 3000)
    with pytest.raises(InputRefused, match="nested deeper"):
        load_yaml("".join(f"{'  ' * i}k{i}:\n" for i in range(70)) + "  " * 70 + "v")
    with pytest.raises(InputRefused, match="lone surrogate"):
        load_yaml('a: "\\ud800"')
    with pytest.raises(InputRefused, match="lone surrogate"):
        load_yaml('{"\\udc00": 1}')
    with pytest.raises(InputRefused, match=f"more than {MAX_NUMBER_CHARS} characters"):
        load_yaml("seed: " + "9" * 5000)
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [")


def test_yaml_alias_bombs_are_refused_without_expanding_them() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[index]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    with pytest.raises(InputRefused, match=f"aliases expand to more than {MAX_NODES} values"):
        load_yaml("\n".join(lines))


def test_yaml_within_the_limits() -> None:
    assert load_yaml("a: &x [1, 2]\nb: *x\nc: 1.5\nd: é") == {
        "a": [1, 2],
        "b": [1, 2],
        "c": 1.5,
        "d": "é",
    }
