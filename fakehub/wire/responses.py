"""JSON answers: the Hub's JSON media type, and one shared encoder.

The Hub labels every JSON answer ``application/json; charset=utf-8``. Inside the app, the edge
(:mod:`fakehub.middleware.edge`) relabels plain ``application/json`` whoever built the
response; :class:`HubJSONResponse` is for the answers that never pass through it (errors from
the outermost crash guard, the replay and recording servers).

:class:`JSONResponse` is Starlette's, byte for byte (compact, UTF-8, no NaN), rendered by one
encoder built once: ``json.dumps`` with options builds a new encoder for every call, which cost
more than encoding a runtime answer.
"""

from __future__ import annotations

import json
import json.encoder
from typing import Any

import msgspec
from starlette import responses

HUB_JSON_MEDIA_TYPE = "application/json; charset=utf-8"


def _unknown(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


#: what ``json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))``
#: runs, built once (without the circular-reference check: answers are trees)
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_make = getattr(json.encoder, "c_make_encoder", None)  # CPython's C speedups (typeshed omits it)
_C_ENCODER = (
    None
    if _make is None
    else _make(None, _unknown, json.encoder.encode_basestring, None, ":", ",", False, False, False)
)


def encode_json(content: Any) -> bytes:
    """``content`` as Starlette's ``JSONResponse`` renders it."""
    if _C_ENCODER is None or isinstance(content, str | int | float) or content is None:
        return _ENCODER.encode(content).encode("utf-8")
    return "".join(_C_ENCODER(content, 0)).encode("utf-8")


class JSONResponse(responses.JSONResponse):
    """Starlette's ``JSONResponse``, rendered by the shared encoder (the same bytes)."""

    def render(self, content: Any) -> bytes:
        return encode_json(content)


class HubJSONResponse(JSONResponse):
    media_type = HUB_JSON_MEDIA_TYPE


_MSGSPEC = msgspec.json.Encoder()


class IntegralJSONResponse(JSONResponse):
    """For answers that hold no float: strings, integers, booleans, null, lists and objects.

    msgspec encodes those to exactly the bytes ``JSONResponse`` does, five times faster (a job
    answer took 12 µs to encode, more than the rest of its route). Floats are where the two
    differ (``1e-05`` against ``0.00001``, NaN), so an answer that may hold one stays with
    :class:`JSONResponse`. Used by the runtime and job answers, the hottest reads.
    """

    def render(self, content: Any) -> bytes:
        return _MSGSPEC.encode(content)


class StateJSONResponse(JSONResponse):
    """For the state dump, 200 MB of JSON at 10k Spaces and 100k Jobs: msgspec encodes it four
    times faster than ``json`` (0.8 s against 3.2 s). A float may be spelled differently
    (``1e-05`` against ``0.00001``): the same number either way."""

    def render(self, content: Any) -> bytes:
        return _MSGSPEC.encode(content)
