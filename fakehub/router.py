"""A Starlette router that tries only the routes a path can match, in their declared order.

Starlette's router tries every route in turn; with ~90 routes a runtime read (36th) or an
``inspect_job`` (73rd) paid for dozens of regular-expression matches. Each route's literal
prefix (the path segments before its first ``{parameter}``, at most three) is indexed, so a
request tries only the routes whose literal prefix its own first segments start with, whose
number of segments it has and whose last segment, when a literal one (``.../count``), is its own,
still in declared order: the first full match and the first partial one (405) are exactly those
Starlette would find. A path nothing matches goes to Starlette's own router (slash redirects, the
404).
"""

from __future__ import annotations

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

#: how many leading literal segments route a request to its candidates (3: the fixed
#: /api/spaces/hardware-like paths drop out for /api/spaces/{namespace}/... requests)
_DEPTH = 3


def _literal_prefix(route: BaseRoute) -> tuple[str, ...]:
    """The leading path segments without a parameter ((): the route may match anything)."""
    if not isinstance(route, Route):
        return ()
    prefix: list[str] = []
    for segment in route.path.split("/")[1:]:
        if "{" in segment or len(prefix) == _DEPTH:
            break
        prefix.append(segment)
    return tuple(prefix)


def _last_literal(route: BaseRoute) -> str | None:
    """The route's last path segment when it is a literal (``None``: a parameter)."""
    if not isinstance(route, Route):
        return None
    last = route.path.rsplit("/", 1)[-1]
    return None if "{" in last else last


def _segments(route: BaseRoute) -> tuple[int, bool]:
    """How many path segments the route's paths have, and whether it may have more (a
    ``{name:path}`` parameter spans segments; every other parameter is exactly one)."""
    if not isinstance(route, Route):
        return 0, True
    return route.path.count("/"), ":path}" in route.path


class RouteIndex:
    def __init__(self, routes: list[BaseRoute]) -> None:
        self._prefixes = [_literal_prefix(route) for route in routes]
        self._segments = [_segments(route) for route in routes]
        self._lasts = [_last_literal(route) for route in routes]
        #: the literal last segments (a request's own counts in its key only when among them:
        #: a job id in that place would make a key per job)
        self._last_words = frozenset(last for last in self._lasts if last is not None)
        self._routes = routes
        self._cache: dict[tuple[tuple[str, ...], int, str | None], tuple[BaseRoute, ...]] = {}

    def candidates(self, path: str) -> tuple[BaseRoute, ...]:
        parts = path.split("/")
        last: str | None = parts[-1]
        if last not in self._last_words:
            last = None
        key = (tuple(parts[1 : _DEPTH + 1]), len(parts) - 1, last)
        found = self._cache.get(key)
        if found is None:
            found = self._find(*key)
            if len(self._cache) < 4096:  # namespaces and ids vary below the first segments
                self._cache[key] = found
        return found

    def _find(self, first: tuple[str, ...], count: int, last: str | None) -> tuple[BaseRoute, ...]:
        return tuple(
            route
            for route, prefix, (segments, spans), word in zip(
                self._routes, self._prefixes, self._segments, self._lasts, strict=True
            )
            if first[: len(prefix)] == prefix
            and (segments == count or (spans and segments <= count))
            and (word is None or word == last)
        )


class IndexedRouter(Router):
    """``Router`` with :class:`RouteIndex` in front (same routes, same order, same answers)."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        super().__init__(routes=routes)
        self.index = RouteIndex(self.routes)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("router", self)
            partial: tuple[BaseRoute, Scope] | None = None
            for route in self.index.candidates(get_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
                if match is Match.PARTIAL and partial is None:
                    partial = (route, child_scope)
            if partial is not None:
                scope["route"] = partial[0]
                scope.update(partial[1])
                await partial[0].handle(scope, receive, send)
                return
        await super().app(scope, receive, send)
