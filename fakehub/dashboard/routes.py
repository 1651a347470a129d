"""Serving the dashboard: ``GET /_fakehub/dashboard``, its static files, and ``GET /`` for browsers.

The files ship inside the package (``fakehub/dashboard/static``) and are read once, at import,
into memory: a request can only name one of them (no path ever reaches the file system), and
the first paint costs no disk access. The page is a client of the control API like any other;
these routes hand out files and never data, so they stay open when the control API asks for a
token (the page then asks the person for it).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub.control.docs import control_doc
from fakehub.domain.errors import NotFound

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
#: What a browser may keep: files are versioned by the ETag, revalidated on each load.
_CACHE = "no-cache"


def _load() -> dict[str, tuple[bytes, str]]:
    """``relative path -> (content, etag)`` for every file under ``static/``."""
    files: dict[str, tuple[bytes, str]] = {}

    def walk(folder: resources.abc.Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif any(entry.name.endswith(suffix) for suffix in _TYPES):
                content = entry.read_bytes()
                etag = '"' + hashlib.sha256(content).hexdigest()[:16] + '"'
                files[prefix + entry.name] = (content, etag)

    walk(resources.files("fakehub.dashboard") / "static", "")
    files[PAGE] = _served_page(files)
    return files


#: The page as served: ``index.html`` with the stylesheet inlined, the app started late.
PAGE = "page.html"
_STYLESHEET = b'<link rel="stylesheet" href="/_fakehub/dashboard/static/style.css">'
_APP = b'<script type="module" src="/_fakehub/dashboard/static/js/app.js"></script>'
_STATIC = "/_fakehub/dashboard/static/"
# Starts the app once the shell has painted, fetching every module at once (no waterfall).
_LOADER = """<script>
requestAnimationFrame(() => setTimeout(() => {
  for (const href of %s) {
    const link = Object.assign(document.createElement("link"), { rel: "modulepreload", href });
    document.head.append(link);
  }
  const app = Object.assign(document.createElement("script"), { type: "module", src: %s });
  document.head.append(app);
}));
</script>
"""


def _served_page(files: dict[str, tuple[bytes, str]]) -> tuple[bytes, str]:
    """``index.html`` as served: the stylesheet inlined, the modules loaded after first paint.

    The stylesheet blocks the first paint, so inlining it saves a round trip; the modules do
    not need to run before it, so they are asked for once the shell is on screen (measured in
    ``benchmarks/bench_dashboard.py``). The files stay separate in the package, for reading.
    """
    html, css = files["index.html"][0], files["style.css"][0]
    modules = [_STATIC + name for name in sorted(files) if name.endswith(".js")]
    loader = _LOADER % (json.dumps(modules), json.dumps(_STATIC + "js/app.js"))
    html = html.replace(_STYLESHEET, b"<style>\n" + css + b"</style>").replace(_APP, b"")
    html = html.replace(b"</body>", loader.encode() + b"</body>")
    return html, '"' + hashlib.sha256(html).hexdigest()[:16] + '"'


FILES = _load()


def _file(request: Request, path: str) -> Response:
    found = FILES.get(path)
    if found is None:
        raise NotFound(f"the dashboard has no file {path!r}")
    content, etag = found
    headers = {"ETag": etag, "Cache-Control": _CACHE}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    media_type = _TYPES[path[path.rindex(".") :]]
    return Response(content, media_type=media_type, headers=headers)


@control_doc(
    "The dashboard: an HTML page that shows and drives the fake through this API",
    response={"type": "string", "description": "the page"},
    media_type="text/html",
)
async def page(request: Request) -> Response:
    return _file(request, PAGE)


@control_doc(
    "A file of the dashboard (JavaScript module, stylesheet)",
    response={"type": "string", "description": "the file"},
    media_type="text/javascript",
)
async def static_file(request: Request) -> Response:
    return _file(request, request.path_params["path"])


DASHBOARD = "/_fakehub/dashboard"


def serves_files_only(path: str) -> bool:
    """Whether ``path`` is the dashboard's page or one of its files: no data, so a control
    token guard lets it through (the page then asks for the token and sends it)."""
    return path == DASHBOARD or path.startswith(DASHBOARD + "/")


def prefers_html(accept: str) -> bool:
    """Whether an ``Accept`` header asks for HTML before JSON (a browser, not a client)."""
    quality: dict[str, float] = {}
    for part in accept.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        quality[kind.lower()] = max(q, quality.get(kind.lower(), 0.0))
    html = quality.get("text/html", 0.0)
    return html > 0 and html >= quality.get("application/json", 0.0)


async def root_for_browsers(request: Request) -> Response | None:
    """``GET /``: the dashboard when a browser asks (HTML preferred), else ``None``.

    The one hook the landing answer at ``/`` (:mod:`fakehub.api.landing`) calls first: it
    keeps its JSON for clients.
    """
    if prefers_html(request.headers.get("accept", "")):
        return _file(request, PAGE)
    return None


routes = [
    Route("/_fakehub/dashboard", page, methods=["GET"]),
    Route("/_fakehub/dashboard/static/{path:path}", static_file, methods=["GET"]),
]
