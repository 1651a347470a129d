"""What a Space's app host (``https://<owner>-<name>.hf.space``) answers, stage by stage.

The Hub proxies a Space's host to its app while the app serves, and answers for it otherwise.
fakehub has no app to run, so it answers on the app's behalf:

* an app serves (``RUNNING``; the old app during ``RUNNING_BUILDING`` and
  ``RUNNING_APP_STARTING``): the path's scripted answer (``SpaceScript.app``), else — for
  Gradio's own protocol paths (``/config``, queue, upload...) of a gradio Space — a 501 naming
  the path, else a 200 page naming the Space and the commit the app runs;
* no app serves: a 503 page naming the stage (``Retry-After`` while the app is on its way:
  building, starting), and 404 for a Space that does not exist.

Every answer carries ``X-Fakehub-Space-Stage`` so a test can tell them apart. No Starlette
here: :mod:`fakehub.middleware.apphost` turns an :class:`AppAnswer` into a response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from fakehub.domain.spaces.records import AppRoute, Space, SpaceStage

S = SpaceStage

#: stages in which an app serves its host
SERVING = frozenset({S.RUNNING, S.RUNNING_BUILDING, S.RUNNING_APP_STARTING})
#: stages in which an app is on its way (a client may retry)
COMING = frozenset({S.BUILDING, S.APP_STARTING})

#: Gradio's own protocol, which fakehub does not fake (exact paths, then prefixes)
GRADIO_PATHS = frozenset({"/config", "/info", "/upload", "/login", "/reset", "/api/predict"})
GRADIO_PREFIXES = (
    "/config/",
    "/queue/",
    "/gradio_api/",
    "/run/",
    "/call/",
    "/api/predict/",
    "/file=",
    "/heartbeat/",
    "/upload_progress",
    "/stream/",
)

#: what the page says of each stage in which no app serves
_WAITING = {
    S.BUILDING: "is building",
    S.APP_STARTING: "is starting",
    S.SLEEPING: "is asleep",
    S.PAUSED: "has been paused by its owner",
    S.STOPPED: "has been stopped",
    S.NO_APP_FILE: "has no application file",
    S.CONFIG_ERROR: "has a configuration error",
    S.BUILD_ERROR: "failed to build",
    S.RUNTIME_ERROR: "has a runtime error",
}


def is_app_host(host: str) -> bool:
    """``<owner>-<name>.hf.space`` (port ignored)."""
    return host.lower().split(":")[0].rstrip(".").endswith(".hf.space")


def app_host_of(scope: Mapping[str, Any]) -> str | None:
    """The app host an ASGI request is for (``X-Forwarded-Host``, else ``Host``), or None."""
    forwarded = host = b""
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-host":
            forwarded = value
        elif name == b"host":
            host = value
    return app_host_from(forwarded, host)


def app_host_from(forwarded: bytes, host: bytes) -> str | None:
    """The app host named by raw ``X-Forwarded-Host`` (first) or ``Host`` values, or None."""
    raw = forwarded or host
    if b"hf.space" not in raw.lower():
        return None  # the common case, a Hub host, without decoding anything
    text = raw.decode("latin-1").lower()
    return text if is_app_host(text) else None


@dataclass(frozen=True)
class AppAnswer:
    status: int
    body: str
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    latency: float = 0.0


def is_gradio_protocol(path: str) -> bool:
    return path in GRADIO_PATHS or path.startswith(GRADIO_PREFIXES)


def scripted(space: Space, path: str) -> AppRoute | None:
    for scripted_path, route in space.script.app:
        if scripted_path == path:
            return route
    return None


def answer(space: Space, method: str, path: str) -> AppAnswer:
    """The answer to ``method path`` on the host of ``space`` (already counted as a visit)."""
    stage_header = (("X-Fakehub-Space-Stage", space.stage.value),)
    if space.stage in SERVING:
        route = scripted(space, path)
        if route is not None:
            content_type = next(
                (v for k, v in route.headers if k.lower() == "content-type"), "text/plain"
            )
            headers = tuple(h for h in route.headers if h[0].lower() != "content-type")
            return AppAnswer(
                route.status, route.body, content_type, headers + stage_header, route.latency
            )
        if space.sdk == "gradio" and is_gradio_protocol(path):
            return AppAnswer(
                501,
                f"fakehub does not fake Gradio's protocol: {method} {path} on {space.repo_id}'s "
                "app host. Script an answer for this path (the Space outcome's 'app').",
                "text/plain; charset=utf-8",
                stage_header,
            )
        return AppAnswer(200, _running_page(space), headers=stage_header)
    retry = (("Retry-After", "5"),) if space.stage in COMING else ()
    return AppAnswer(503, _waiting_page(space), headers=retry + stage_header)


def unknown_space(host: str) -> AppAnswer:
    return AppAnswer(
        404,
        _page("404", f"No Space answers at {escape(host)}."),
        headers=(("X-Fakehub-Space-Stage", "NOT_FOUND"),),
    )


def _running_page(space: Space) -> str:
    sha = space.app_sha or space.sha or "(no commit)"
    return _page(
        space.repo_id,
        f"<h1>{escape(space.repo_id)}</h1>\n<p>fakehub answers for this Space's app, running "
        f"commit <code>{escape(sha)}</code>.</p>",
    )


def _waiting_page(space: Space) -> str:
    what = _WAITING.get(space.stage, "is not available")
    detail = f"\n<pre>{escape(space.error_message)}</pre>" if space.error_message else ""
    return _page(
        space.repo_id,
        f"<h1>{escape(space.repo_id)}</h1>\n<p>This Space {what} "
        f"({space.stage.value}).</p>{detail}",
    )


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html>\n<html><head><title>{escape(title)}</title></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )
