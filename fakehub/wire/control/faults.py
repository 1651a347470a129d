"""Fault rules and their counters (``/_fakehub/faults``, and the state dump)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from typing_extensions import TypedDict

from fakehub.faults.book import Fault
from fakehub.faults.rules import FaultRule


class FaultOut(TypedDict):
    id: str
    #: the rule as given (camelCase keys, defaults left out)
    rule: dict[str, Any]
    matched: int
    applied: int
    remaining: int | None
    active: bool


class FaultList(TypedDict):
    faults: list[FaultOut]


def fault_rule_json(rule: FaultRule) -> dict[str, Any]:
    """The rule as given (camelCase keys, unset options left out)."""
    return rule.model_dump(by_alias=True, exclude_defaults=True, mode="json")


def fault_json(fault: Fault) -> FaultOut:
    return {
        "id": fault.id,
        "rule": fault_rule_json(fault.rule),
        "matched": fault.matched,
        "applied": fault.applied,
        "remaining": fault.remaining,
        "active": fault.active,
    }


def faults_json(faults: Iterable[Fault]) -> FaultList:
    return {"faults": [fault_json(f) for f in faults]}
