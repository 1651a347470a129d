"""Space repository routes: create, delete, move, info, list, settings, auth-check, duplicate."""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from fakehub.api.request import actor_of, body_model, endpoint_of, hub_of
from fakehub.domain.errors import BadRequest, NotImplementedByFake
from fakehub.domain.spaces.listing import SpaceQuery
from fakehub.domain.spaces.options import resolve_visibility
from fakehub.wire.parse import check_known_params, query_flag
from fakehub.wire.responses import JSONResponse
from fakehub.wire.spaces import (
    CreateRepoBody,
    DeleteRepoBody,
    DuplicateBody,
    MoveRepoBody,
    SettingsBody,
    next_page_link,
    parse_expand,
    settings_json,
    space_json,
    space_list_item,
)

#: ``GET /api/spaces`` page size when the caller gives no ``limit`` (inferred), and the cap.
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def _spaces_only(repo_type: str, what: str) -> None:
    if repo_type != "space":
        raise NotImplementedByFake(
            f"fakehub fakes Spaces only: cannot {what} a {repo_type} repository (use type 'space')"
        )


def _repo_id(request: Request) -> str:
    return f"{request.path_params['namespace']}/{request.path_params['name']}"


async def create_repo(request: Request) -> Response:
    body = await body_model(request, CreateRepoBody)
    _spaces_only(body.type, "create")
    if body.template is not None:
        raise NotImplementedByFake(
            f"template: Space templates are not implemented by fakehub ({body.template!r}); "
            "create the Space with an sdk and upload its files"
        )
    endpoint = endpoint_of(request)
    space = hub_of(request).repos.create(
        actor_of(request),
        name=body.name,
        organization=body.organization,
        sdk=body.sdk,
        visibility=resolve_visibility(body.private, body.visibility),
        options=body.options(),
        endpoint=endpoint,
        files=body.domain_files(),
    )
    url = f"{endpoint}/spaces/{space.repo_id}"
    return JSONResponse({"url": url, "name": space.repo_id, "id": space.id})


async def delete_repo(request: Request) -> Response:
    body = await body_model(request, DeleteRepoBody)
    _spaces_only(body.type, "delete")
    actor = actor_of(request)
    namespace = body.organization or (actor.name if actor else "")
    hub_of(request).repos.delete(actor, f"{namespace}/{body.name}")
    return PlainTextResponse("OK")


async def move_repo(request: Request) -> Response:
    body = await body_model(request, MoveRepoBody)
    if body.type == "bucket":
        bucket = hub_of(request).buckets.move(actor_of(request), body.from_repo, body.to_repo)
        return JSONResponse({"url": f"{endpoint_of(request)}/buckets/{bucket.bucket_id}"})
    _spaces_only(body.type, "move")
    space = hub_of(request).repos.move(actor_of(request), body.from_repo, body.to_repo)
    return JSONResponse({"url": f"{endpoint_of(request)}/spaces/{space.repo_id}"})


async def space_info(request: Request) -> Response:
    expand = parse_expand(request.query_params.getlist("expand"))
    blobs = query_flag(request.query_params.get("blobs"))
    with_runtime = expand is None or "runtime" in expand
    render = partial(space_json, expand=expand, blobs=blobs, runtime=with_runtime)
    body = hub_of(request).repos.info(
        actor_of(request),
        _repo_id(request),
        render,
        revision=request.path_params.get("revision"),
        with_runtime=with_runtime,
    )
    return JSONResponse(body)


def _int_param(request: Request, name: str, default: int, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name}: expected an integer, got {raw!r}") from None
    if value < minimum:
        raise BadRequest(f"{name}: must be >= {minimum}, got {value}")
    return value


#: Every query parameter ``GET /api/spaces`` honours (any client version, and the JS client).
LIST_SPACES_PARAMS = (
    "author", "search", "filter", "sort", "direction", "limit", "cursor", "full", "expand",
    "linked", "models", "datasets",
)  # fmt: skip


def _space_query(request: Request) -> SpaceQuery:
    params = request.query_params
    check_known_params(params.keys(), LIST_SPACES_PARAMS, "GET /api/spaces")
    direction = params.get("direction", "-1")
    if direction not in ("-1", "1"):
        raise BadRequest(f"direction: expected -1 (descending) or 1, got {direction!r}")
    limit = min(_int_param(request, "limit", DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
    return SpaceQuery(
        author=params.get("author"),
        search=params.get("search"),
        filters=tuple(params.getlist("filter")),
        sort=params.get("sort"),
        descending=direction == "-1",
        offset=_int_param(request, "cursor", 0, 0),
        limit=limit,
        models=_repo_ids(params.getlist("models")),
        datasets=_repo_ids(params.getlist("datasets")),
        linked=query_flag(params.get("linked")),
    )


def _repo_ids(values: list[str]) -> tuple[str, ...]:
    """Repeated (or comma-separated) repo ids, as ``models`` and ``datasets`` take them."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


async def list_spaces(request: Request) -> Response:
    query = _space_query(request)
    expand = parse_expand(request.query_params.getlist("expand"))
    full = query_flag(request.query_params.get("full"))
    render = partial(space_list_item, full=full, expand=expand)
    page, more = hub_of(request).repos.list(actor_of(request), query, render)
    headers = {}
    if more:
        url = f"{endpoint_of(request)}{request.url.path}?{request.url.query}"
        headers["Link"] = next_page_link(url, query.offset + query.limit)
    return JSONResponse(page, headers=headers)


async def update_settings(request: Request) -> Response:
    body = await body_model(request, SettingsBody)
    space = hub_of(request).repos.update_settings(
        actor_of(request),
        _repo_id(request),
        visibility=resolve_visibility(body.private, body.visibility),
        gated=body.gated,
    )
    return JSONResponse(settings_json(space))


async def auth_check(request: Request) -> Response:
    hub_of(request).repos.auth_check(actor_of(request), _repo_id(request), write=False)
    return JSONResponse({})


async def auth_check_write(request: Request) -> Response:
    hub_of(request).repos.auth_check(actor_of(request), _repo_id(request), write=True)
    return JSONResponse({})


async def duplicate_space(request: Request) -> Response:
    body = await body_model(request, DuplicateBody)
    endpoint = endpoint_of(request)
    space = hub_of(request).repos.duplicate(
        actor_of(request),
        _repo_id(request),
        body.repository,
        visibility=resolve_visibility(body.private, body.visibility),
        options=body.options(),
        endpoint=endpoint,
    )
    return JSONResponse({"url": f"{endpoint}/spaces/{space.repo_id}", "filesCopyPending": False})


async def duplicate_other(request: Request) -> Response:
    kind = "model" if request.url.path.startswith("/api/models/") else "dataset"
    raise NotImplementedByFake(
        f"fakehub fakes Spaces only: cannot duplicate a {kind} repository "
        "(duplicate_repo works with repo_type='space')"
    )


SPACE = "/api/spaces/{namespace}/{name}"

routes = [
    Route("/api/repos/create", create_repo, methods=["POST"]),
    Route("/api/repos/delete", delete_repo, methods=["DELETE"]),
    Route("/api/repos/move", move_repo, methods=["POST"]),
    Route("/api/spaces", list_spaces, methods=["GET"]),
    Route(SPACE, space_info, methods=["GET"]),
    Route(SPACE + "/revision/{revision:path}", space_info, methods=["GET"]),
    Route(SPACE + "/settings", update_settings, methods=["PUT"]),
    Route(SPACE + "/auth-check", auth_check, methods=["GET"]),
    Route(SPACE + "/auth-check/write", auth_check_write, methods=["GET"]),
    Route(SPACE + "/duplicate", duplicate_space, methods=["POST"]),
    Route("/api/models/{namespace}/{name}/duplicate", duplicate_other, methods=["POST"]),
    Route("/api/datasets/{namespace}/{name}/duplicate", duplicate_other, methods=["POST"]),
]
