"""The route index picks exactly the route Starlette's own loop would pick, for every route."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute, Match, Route

from fakehub.app import create_app
from fakehub.router import IndexedRouter, RouteIndex

_ROUTES: list[BaseRoute] = create_app().router.routes
_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]
_PARAM = re.compile(r"\{[^}]+\}")


def _first_match(routes: list[BaseRoute] | tuple[BaseRoute, ...], scope: dict) -> tuple:
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return ("full", route)
        if match is Match.PARTIAL and partial is None:
            partial = ("partial", route)
    return partial or ("none", None)


def _paths() -> st.SearchStrategy[str]:
    templates = [r.path for r in _ROUTES if isinstance(r, Route)]
    fill = st.sampled_from(["fakeuser", "demo", "hardware", "count", "x/y", "abc123"])
    filled = st.tuples(st.sampled_from(templates), st.lists(fill, min_size=8, max_size=8))
    odd = st.sampled_from(["/", "/api", "/api/", "/api/unknown/thing", "/nope", "/_fakehub/x"])
    return filled.map(_fill) | odd


def _fill(pair: tuple[str, list[str]]) -> str:
    template, values = pair
    given = iter(values)
    return _PARAM.sub(lambda _: next(given), template)


@settings(max_examples=400, deadline=None)
@given(path=_paths(), method=st.sampled_from(_METHODS))
def test_the_index_picks_what_the_full_loop_picks(path: str, method: str) -> None:
    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
    expected = _first_match(_ROUTES, scope)
    got = _first_match(RouteIndex(_ROUTES).candidates(path), scope)
    assert got == expected  # "none": the router hands over to Starlette's own loop


def test_the_app_uses_the_indexed_router() -> None:
    assert isinstance(create_app().router, IndexedRouter)
