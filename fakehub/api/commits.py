"""Space file routes: preupload, commit, validate-yaml, tree, paths-info; LFS/Xet refusals.

Revisions and tree paths arrive percent-encoded with ``safe=""`` (``refs%2Fpr%2F1``), so these
routes split the **raw** path and decode each segment themselves (commits.md §3.5). Downloads
(resolve, raw) are in ``fakehub.api.downloads``, the commit history in ``fakehub.api.history``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakehub.api.request import (
    actor_of,
    body_model,
    endpoint_of,
    hub_of,
    offset_page,
    raw_segments,
    read_body,
    repo_id_of,
)
from fakehub.domain.errors import BadRequest
from fakehub.wire.commits import (
    PreuploadBody,
    commit_json,
    parse_commit_body,
    parse_paths_info,
    parse_validate_yaml,
    preupload_json,
    tree_entry_json,
    validate_yaml_json,
)
from fakehub.wire.parse import check_known_params, query_flag
from fakehub.wire.responses import JSONResponse

#: Tree page sizes (the Hub's OpenAPI: 1000 entries, 100 with ``expand``).
TREE_PAGE = 1000
TREE_PAGE_EXPANDED = 100


def _revision(request: Request) -> str:
    # /api/spaces/{ns}/{name}/<verb>/<rev>: a '/' the client did not encode stays part of it.
    return "/".join(raw_segments(request, 5))


async def preupload(request: Request) -> Response:
    body = await body_model(request, PreuploadBody)
    answers, head = hub_of(request).files.preupload(
        actor_of(request),
        repo_id_of(request),
        _revision(request),
        body.domain_files(),
        gitignore=body.git_ignore,
        create_pr=query_flag(request.query_params.get("create_pr")),
    )
    return JSONResponse(preupload_json(answers, head))


async def commit(request: Request) -> Response:
    header, operations = parse_commit_body(await read_body(request))
    repo_id = repo_id_of(request)
    result = hub_of(request).files.commit(
        actor_of(request),
        repo_id,
        _revision(request),
        header,
        operations,
        create_pr=query_flag(request.query_params.get("create_pr")),
    )
    return JSONResponse(commit_json(result, f"{endpoint_of(request)}/spaces/{repo_id}"))


async def validate_yaml(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    content = parse_validate_yaml(await read_body(request), content_type)
    status, body = validate_yaml_json(content)
    return JSONResponse(body, status_code=status)


def _page_size(raw: str | None, default: int) -> int:
    """``limit`` sets the page size, at most the Hub's default for that kind of listing."""
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"limit: expected a positive integer, got {raw!r}")
    return min(int(raw), default)


async def tree(request: Request) -> Response:
    segments = raw_segments(request, 5)
    revision, path = segments[0], "/".join(segments[1:])
    params = request.query_params
    route = "GET /api/spaces/{namespace}/{name}/tree/{rev}/{path}"
    check_known_params(params.keys(), ("expand", "recursive", "limit", "cursor"), route)
    expand = query_flag(params.get("expand"))
    entries = hub_of(request).files.tree(
        actor_of(request),
        repo_id_of(request),
        revision,
        path,
        recursive=query_flag(params.get("recursive")),
        expand=expand,
    )
    size = _page_size(params.get("limit"), TREE_PAGE_EXPANDED if expand else TREE_PAGE)
    page, headers = offset_page(request, entries, size)
    return JSONResponse([tree_entry_json(entry) for entry in page], headers=headers)


async def paths_info(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    paths, expand = parse_paths_info(await read_body(request), content_type)
    entries = hub_of(request).files.paths_info(
        actor_of(request), repo_id_of(request), _revision(request), paths, expand=expand
    )
    return JSONResponse([tree_entry_json(entry) for entry in entries])


SPACE = "/api/spaces/{namespace}/{name}"

routes = [
    Route(SPACE + "/preupload/{rest:path}", preupload, methods=["POST"]),
    Route(SPACE + "/commit/{rest:path}", commit, methods=["POST"]),
    Route("/api/validate-yaml", validate_yaml, methods=["POST"]),
    Route(SPACE + "/tree/{rest:path}", tree, methods=["GET"]),
    Route(SPACE + "/paths-info/{rest:path}", paths_info, methods=["POST"]),
]
