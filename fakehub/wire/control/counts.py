"""Answers that are only a count: how many things a ``DELETE`` removed, how many are queued."""

from __future__ import annotations

from typing_extensions import TypedDict


class Deleted(TypedDict):
    deleted: int


class Queued(TypedDict):
    queued: int


def deleted_json(count: int) -> Deleted:
    return {"deleted": count}


def queued_json(count: int) -> Queued:
    return {"queued": count}
