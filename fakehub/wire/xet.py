"""Xet CAS answers: where the bytes of a file's range are (reconstruction v1 and v2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakehub.storage.xet.cas import Reconstruction
from fakehub.storage.xet.hashes import hash_to_str
from fakehub.storage.xet.shard import Term

#: a signed URL for ``(xorb, byte_start, byte_end)`` (the route signs with the hub's key)
FetchUrl = Callable[[str, int, int], str]


def _term(term: Term) -> dict[str, Any]:
    return {
        "hash": hash_to_str(term.xorb),
        "unpacked_length": term.unpacked_bytes,
        "range": {"start": term.chunk_start, "end": term.chunk_end},
    }


def reconstruction_v1_json(found: Reconstruction, fetch_url: FetchUrl) -> dict[str, Any]:
    fetch: dict[str, list[dict[str, Any]]] = {}
    for item in found.fetch:
        url = fetch_url(item.xorb, item.byte_start, item.byte_end)
        fetch.setdefault(item.xorb, []).append(
            {
                "range": {"start": item.chunk_start, "end": item.chunk_end},
                "url": url,
                "url_range": {"start": item.byte_start, "end": item.byte_end},
            }
        )
    terms = [_term(t) for t in found.terms]
    return {
        "offset_into_first_range": found.offset_into_first_range,
        "terms": terms,
        "fetch_info": fetch,
    }


def reconstruction_v2_json(found: Reconstruction, fetch_url: FetchUrl) -> dict[str, Any]:
    xorbs: dict[str, list[dict[str, Any]]] = {}
    for item in found.fetch:
        url = fetch_url(item.xorb, item.byte_start, item.byte_end)
        ranges = [
            {
                "chunks": {"start": item.chunk_start, "end": item.chunk_end},
                "bytes": {"start": item.byte_start, "end": item.byte_end},
            }
        ]
        xorbs.setdefault(item.xorb, []).append({"url": url, "ranges": ranges})
    terms = [_term(t) for t in found.terms]
    return {
        "offset_into_first_range": found.offset_into_first_range,
        "terms": terms,
        "xorbs": xorbs,
    }
