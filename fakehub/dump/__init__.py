"""``dump_state(hub)``: a canonical, JSON-able snapshot of everything a hub holds.

The walk is generic, so new records (Spaces, Jobs, billing, ...) show up without touching this
module: dataclasses by field, plain objects by attribute, mappings with sorted keys, enums by
value, bytes as size and sha256. Mutable records reached a second time become
``{"$ref": "<path of first sight>"}`` (services share stores and records); frozen values are
always inlined. The same state always gives the same dump, so two dumps compare with ``==``.
Derived state (indexes, parsed cards: :mod:`fakehub.derived`) is left out.

Redaction: under a name containing ``secret``, the ``value`` field of records and the values of
mappings become ``"<set>"``; under ``token``, ``password`` or ``credential``, every string does,
and mapping keys become ``"<set:1>"``, ``"<set:2>"``, ... in insertion order. Nothing derived
from the value is shown: a digest of a short secret can be reversed by guessing (and the state
API may be reachable by others than the test). Tokens in the accounts are listed by user, role
and name only. The walk starts from the mapping the hub hands over
(:meth:`fakehub.hub.FakeHub.holding`), which leaves the request log out: it is not state.

The output shares equal pieces (:mod:`.sharing`): a value met twice and every empty list or
mapping are one object each, so readers copy a dump before changing it.

How: :mod:`.plans` decides once per type how its values are dumped (generated code per record
type, :mod:`.codegen`); :mod:`.walker` walks the state with those plans. Plain values skip the
walker (:mod:`.pure`), and records whose annotations say what they hold take a converter made
from them (:mod:`.shapes`); both hand anything else back to the walk, so the output is the
same either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from fakehub.dump.plans import redacted
from fakehub.dump.walker import _Walker
from fakehub.scheduler import no_cycle_collection


class Holder(Protocol):
    """What hands its state over for a dump: a hub (it holds its lock meanwhile)."""

    def holding(self) -> AbstractContextManager[Mapping[str, Any]]: ...


def dump_state(source: Holder | Mapping[str, Any]) -> dict[str, Any]:
    """Everything ``source`` holds, as plain JSON data (see the module docstring)."""
    if isinstance(source, Mapping):
        return _dump(source)
    with source.holding() as held:
        return _dump(held)


def _dump(held: Mapping[str, Any]) -> dict[str, Any]:
    with no_cycle_collection():
        state = _Walker().walk(dict(held), "")
    assert isinstance(state, dict)
    return state


__all__ = ["Holder", "_Walker", "dump_state", "no_cycle_collection", "redacted"]
