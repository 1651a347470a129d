"""Space file routes: preupload, commit, validate-yaml, tree, paths-info, resolve; LFS/Xet refusals.

Revisions and tree paths arrive percent-encoded with ``safe=""`` (``refs%2Fpr%2F1``), so these
routes split the **raw** path and decode each segment themselves (commits.md §3.5).
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import actor_of, body_model, endpoint_of, hub_of, read_body
from fakehub.domain.errors import BadRequest, EntryNotFound, UploadRefused
from fakehub.domain.spaces.tree import blob_id
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
from fakehub.wire.errors import error_response
from fakehub.wire.parse import check_known_params, query_flag
from fakehub.wire.spaces import next_page_link

#: Tree page sizes (the Hub's OpenAPI: 1000 entries, 100 with ``expand``).
TREE_PAGE = 1000
TREE_PAGE_EXPANDED = 100
NO_LFS = (
    "LFS and Xet uploads are not implemented by this fake Hub: only small text files can be "
    "uploaded (regular commits)"
)


def _repo_id(request: Request) -> str:
    return f"{request.path_params['namespace']}/{request.path_params['name']}"


def _tail(request: Request, skip: int) -> list[str]:
    """Decoded path segments after the first ``skip`` ones, split on the raw (encoded) path."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    return [unquote(segment) for segment in path.split("/")[skip + 1 :]]


def _revision(request: Request) -> str:
    # /api/spaces/{ns}/{name}/<verb>/<rev>: a '/' the client did not encode stays part of it.
    return "/".join(_tail(request, 5))


async def preupload(request: Request) -> Response:
    body = await body_model(request, PreuploadBody)
    answers, head = hub_of(request).repos.files.preupload(
        actor_of(request),
        _repo_id(request),
        _revision(request),
        body.domain_files(),
        gitignore=body.git_ignore,
        create_pr=query_flag(request.query_params.get("create_pr")),
    )
    return JSONResponse(preupload_json(answers, head))


async def commit(request: Request) -> Response:
    header, operations = parse_commit_body(await read_body(request))
    repo_id = _repo_id(request)
    result = hub_of(request).repos.files.commit(
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
    segments = _tail(request, 5)
    revision, path = segments[0], "/".join(segments[1:])
    params = request.query_params
    route = "GET /api/spaces/{namespace}/{name}/tree/{rev}/{path}"
    check_known_params(params.keys(), ("expand", "recursive", "limit", "cursor"), route)
    expand = query_flag(params.get("expand"))
    entries = hub_of(request).repos.files.tree(
        actor_of(request),
        _repo_id(request),
        revision,
        path,
        recursive=query_flag(params.get("recursive")),
        expand=expand,
    )
    size = _page_size(params.get("limit"), TREE_PAGE_EXPANDED if expand else TREE_PAGE)
    raw_cursor = params.get("cursor", "0")
    if not raw_cursor.isdigit():
        raise BadRequest(f"cursor: expected a page cursor from a Link header, got {raw_cursor!r}")
    start = int(raw_cursor)
    headers = {}
    if start + size < len(entries):
        url = f"{endpoint_of(request)}{request.url.path}?{request.url.query}"
        headers["Link"] = next_page_link(url, start + size)
    page = [tree_entry_json(entry) for entry in entries[start : start + size]]
    return JSONResponse(page, headers=headers)


async def paths_info(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    paths, expand = parse_paths_info(await read_body(request), content_type)
    entries = hub_of(request).repos.files.paths_info(
        actor_of(request), _repo_id(request), _revision(request), paths, expand=expand
    )
    return JSONResponse([tree_entry_json(entry) for entry in entries])


async def resolve(request: Request) -> Response:
    segments = _tail(request, 4)  # /spaces/{ns}/{name}/resolve/<rev>/<path...>
    revision, path = segments[0], "/".join(segments[1:])
    read = hub_of(request).repos.files.read(actor_of(request), _repo_id(request), revision, path)
    if read.content is None:
        # X-Repo-Commit lets the client cache the absence (commits.md §5.3).
        missing = EntryNotFound("Entry not found")
        return error_response(missing, extra_headers={"X-Repo-Commit": read.commit_oid})
    name = path.rsplit("/", 1)[-1]
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_")
    headers = {
        "X-Repo-Commit": read.commit_oid,
        "ETag": f'"{blob_id(read.content)}"',
        "Content-Length": str(len(read.content)),
        "Content-Disposition": (
            f"inline; filename*=UTF-8''{quote(name)}; filename=\"{ascii_name}\";"
        ),
    }
    media_type = mimetypes.guess_type(name)[0] or "text/plain"
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    body = b"" if request.method == "HEAD" else read.content
    return Response(body, headers=headers, media_type=media_type)


async def refuse_lfs(request: Request) -> Response:
    raise UploadRefused(NO_LFS)


SPACE = "/api/spaces/{namespace}/{name}"

routes = [
    Route(SPACE + "/preupload/{rest:path}", preupload, methods=["POST"]),
    Route(SPACE + "/commit/{rest:path}", commit, methods=["POST"]),
    Route("/api/validate-yaml", validate_yaml, methods=["POST"]),
    Route(SPACE + "/tree/{rest:path}", tree, methods=["GET"]),
    Route(SPACE + "/paths-info/{rest:path}", paths_info, methods=["POST"]),
    Route("/spaces/{namespace}/{name}/resolve/{rest:path}", resolve, methods=["GET", "HEAD"]),
    Route(SPACE + "/xet-write-token/{rest:path}", refuse_lfs, methods=["GET"]),
    Route(SPACE + "/xet-read-token/{rest:path}", refuse_lfs, methods=["GET"]),
    Route("/spaces/{namespace}/{name}.git/info/lfs/objects/batch", refuse_lfs, methods=["POST"]),
]
