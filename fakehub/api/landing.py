"""``GET /``: a small landing answer for whoever opens the server's address.

Browsers (``Accept: text/html``) get a page; everything else gets the same facts as JSON. Both
point at the README sections a newcomer needs and at the control API's OpenAPI document. The
page is one function (:func:`landing_html`) so a richer one can take its place.
"""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from fakehub.api.request import endpoint_of, hub_of
from fakehub.dashboard.routes import root_for_browsers
from fakehub.wire.landing import landing_json
from fakehub.wire.responses import JSONResponse

#: README sections, by title and anchor, in the order a newcomer reads them.
README_SECTIONS = (
    ("Quick start", "quick-start"),
    ("What is faked", "what-is-faked"),
    ("Time and progression", "time-and-progression"),
    ("The pytest plugin", "the-pytest-plugin-fake_hub"),
    ("Scenarios", "scenarios"),
    ("Control API", "control-api"),
    ("Errors", "errors"),
)
OPENAPI = "/_fakehub/openapi.json"


def landing_facts(request: Request) -> dict[str, Any]:
    readme = {title: f"README.md#{anchor}" for title, anchor in README_SECTIONS}
    clock = hub_of(request).clock_state()
    return landing_json(endpoint_of(request), clock, readme=readme, control_api=OPENAPI)


def landing_html(facts: dict[str, Any]) -> str:
    """A small page for a client that takes HTML but not first (browsers get the dashboard)."""
    sections = "".join(
        f'<li><a href="{escape(link)}">{escape(title)}</a></li>'
        for title, link in facts["readme"].items()
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>fakehub {escape(facts['version'])}</title></head><body>"
        f"<h1>fakehub {escape(facts['version'])}</h1><p>{escape(facts['description'])}</p>"
        f"<p>Point your code at it: <code>{escape(facts['usage'])}</code></p>"
        f"<p>Virtual clock: {escape(facts['clock']['mode'])}, "
        f"now {escape(facts['clock']['now'])}.</p>"
        f'<p>Control API: <a href="{OPENAPI}">{OPENAPI}</a> (OpenAPI 3.1).</p>'
        f"<p>README sections:</p><ul>{sections}</ul></body></html>"
    )


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


async def landing(request: Request) -> Response:
    page = await root_for_browsers(request)  # a browser gets the dashboard
    if page is not None:
        return page
    facts = landing_facts(request)
    if _wants_html(request):
        return HTMLResponse(landing_html(facts))
    return JSONResponse(facts)


routes = [Route("/", landing, methods=["GET"])]
