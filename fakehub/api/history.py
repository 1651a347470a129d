"""A Space's commit history: ``GET /api/spaces/{ns}/{name}/commits/{rev}``.

Paginated as the Hub does it (its OpenAPI): page ``p`` (from 0) of ``limit`` commits (50 by
default, 1 to 1000), newest first, ``X-Total-Count`` with the number of commits reachable from
``rev``, and a ``Link: <...>; rel="next"`` header while pages remain (``huggingface_hub``'s
``list_repo_commits`` and the npm ``listCommits`` follow it; ``countCommits`` reads the count).
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub.api.request import actor_of, endpoint_of, hub_of, raw_segments, repo_id_of
from fakehub.wire.history import commit_history_json, parse_history_query
from fakehub.wire.responses import JSONResponse


async def list_commits(request: Request) -> Response:
    revision = "/".join(raw_segments(request, 5))  # /api/spaces/{ns}/{name}/commits/<rev>
    query = parse_history_query(request.query_params.multi_items())
    commits = hub_of(request).files.history(actor_of(request), repo_id_of(request), revision)
    start = query.page * query.limit
    page = commits[start : start + query.limit]
    headers = {"X-Total-Count": str(len(commits))}
    if start + query.limit < len(commits):
        params = [("p", str(query.page + 1)), ("limit", str(query.limit))]
        params += [("expand", "formatted")] if query.formatted else []
        url = f"{endpoint_of(request)}{request.url.path}?{urlencode(params)}"
        headers["Link"] = f'<{url}>; rel="next"'
    body = [commit_history_json(commit, formatted=query.formatted) for commit in page]
    return JSONResponse(body, headers=headers)


routes = [
    Route("/api/spaces/{namespace}/{name}/commits/{rest:path}", list_commits, methods=["GET"]),
]
