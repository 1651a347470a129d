"""What the outputs of one dump share: the outputs of values met again, and empty pieces.

A frozen value met again (a job's owner, the stages every job's timeline holds) reuses its
first output; every empty list and mapping in a record is one shared object. The dump's output
is therefore a graph with shared parts: its readers copy it before changing it (the shared
empties refuse changes, so a slip shows at once rather than in the next dump).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_Convert = Callable[[Any], Any]


class _EmptyList(list[Any]):
    """An empty list that cannot be filled: shared by every dump, so none may change it."""

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("a dump's empty lists are shared: copy the dump to change it")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __copy__(self) -> list[Any]:
        return []  # a copy is the reader's own: a plain list

    def __deepcopy__(self, memo: object) -> list[Any]:
        return []

    def __reduce__(self) -> tuple[type[list[Any]], tuple[()]]:
        return list, ()


class _EmptyMapping(dict[str, Any]):
    """An empty mapping that cannot be filled: shared by every dump, so none may change it."""

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("a dump's empty mappings are shared: copy the dump to change it")

    __setitem__ = __delitem__ = __ior__ = setdefault = update = pop = popitem = clear = _refuse

    def __copy__(self) -> dict[str, Any]:
        return {}  # a copy is the reader's own: a plain dict

    def __deepcopy__(self, memo: object) -> dict[str, Any]:
        return {}

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[()]]:
        return dict, ()


#: The output of every empty list, tuple or mapping in a record: one object each, shared (a job
#: has a dozen empty fields, and allocating and freeing them was a tenth of a 100k-job dump).
#: They equal ``[]`` and ``{}`` and encode as such; changing them raises.
NONE: list[Any] = _EmptyList()
NOTHING: dict[str, Any] = _EmptyMapping()


class Shared:
    """The outputs of frozen records one dump has converted, by ``id``: a value met again (a
    job's owner, the stages its timeline shares with every other job) reuses its output.

    A type whose values are never met twice (log lines) stops being looked up after
    ``TRIES`` misses with no hit: converting again gives the same output, the lookup only
    saves time when values are shared.
    """

    TRIES = 512

    def __init__(self, keep: list[object]) -> None:
        self.outputs: dict[int, Any] = {}
        #: what the walk holds alive, so no ``id`` is reused while it runs
        self.keep = keep
        #: per type: misses so far, or a large negative number once it had a hit
        self.misses: dict[type, int] = {}

    def remember(self, item: Any, convert: _Convert, misses: list[int]) -> Any:
        """``convert(item)``, kept for the next time ``item`` is met; ``misses[0]`` counts
        these (generated code stops remembering a field's values after ``TRIES``)."""
        misses[0] += 1
        out = self.outputs[id(item)] = convert(item)
        self.keep.append(item)
        return out

    def convert_all(
        self, items: list[Any] | tuple[Any, ...], kind: type, convert: _Convert
    ) -> list[Any]:
        """``convert`` of each item (records of ``kind``, mostly), reusing shared outputs."""
        misses = self.misses.get(kind, 0)
        if misses > self.TRIES:
            return [convert(item) for item in items]
        outputs, out = self.outputs, []
        for item in items:
            hit = outputs.get(id(item))
            if hit is None:
                misses += 1
                hit = outputs[id(item)] = convert(item)
                self.keep.append(item)
            else:
                misses = -(1 << 62)
            out.append(hit)
        self.misses[kind] = misses
        return out
