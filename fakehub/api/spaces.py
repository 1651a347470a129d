"""Space runtime routes (spaces.md §3.6-§3.19): parse, one hub operation, serialise.

The fixed paths (``/api/spaces/hardware``, ``zero-gpu/quota``, ``semantic-search``,
``templates``) come first: this list is mounted before ``/api/spaces/{namespace}/{name}``.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from fakehub.api.request import actor_of, body_model, hub_of
from fakehub.domain.catalogue import SPACE_FLAVORS
from fakehub.domain.errors import BadRequest, NotImplementedByFake
from fakehub.domain.spaces.logs import LogKind
from fakehub.domain.spaces.records import Space
from fakehub.timefmt import iso
from fakehub.wire.hardware import flavor_json
from fakehub.wire.parse import check_known_params, query_flag
from fakehub.wire.responses import IntegralJSONResponse, JSONResponse
from fakehub.wire.runtime import (
    DevModeBody,
    HardwareBody,
    SleepTimeBody,
    StorageBody,
    VolumesBody,
    runtime_json,
    search_result_json,
    zero_gpu_quota_json,
)
from fakehub.wire.space_settings import KeyBody, KeyValueBody, secrets_json, variables_json
from fakehub.wire.sse import Batch, frame, sse_response

M = TypeVar("M", bound=BaseModel)


def _repo_id(request: Request) -> str:
    return f"{request.path_params['namespace']}/{request.path_params['name']}"


def _runtime(space: Space) -> Response:
    return IntegralJSONResponse(runtime_json(space))


async def _body(request: Request, model: type[M]) -> M:
    """The parsed body, once the caller is known to reach the Space (404/401/403 come first)."""
    hub_of(request).spaces.check_writable(actor_of(request), _repo_id(request))
    return await body_model(request, model)


# -- catalogue and account-wide routes -----------------------------------------------------------


async def list_hardware(request: Request) -> Response:
    return JSONResponse([flavor_json(f, ephemeral_storage=False) for f in SPACE_FLAVORS])


async def zero_gpu_quota(request: Request) -> Response:
    return JSONResponse(
        zero_gpu_quota_json(hub_of(request).spaces.zero_gpu_quota(actor_of(request)))
    )


async def semantic_search(request: Request) -> Response:
    params = request.query_params
    known = ("q", "filter", "sdk", "includeNonRunning")
    check_known_params(params.keys(), known, "GET /api/spaces/semantic-search")
    query = params.get("q")
    if query is None:
        raise BadRequest("q: a search query is required")
    found = hub_of(request).spaces.search(
        actor_of(request),
        query,
        tags=params.getlist("filter"),
        sdks=params.getlist("sdk"),
        include_non_running=query_flag(params.get("includeNonRunning")),
    )
    return JSONResponse([search_result_json(space) for space in found])


async def templates(request: Request) -> Response:
    raise NotImplementedByFake(
        "fakehub does not implement GET /api/spaces/templates yet (Space templates)"
    )


# -- one Space -----------------------------------------------------------------------------------


async def get_runtime(request: Request) -> Response:
    return _runtime(hub_of(request).spaces.runtime(actor_of(request), _repo_id(request)))


async def request_hardware(request: Request) -> Response:
    actor = actor_of(request)
    body = await _body(request, HardwareBody)
    space = hub_of(request).spaces.request_hardware(
        actor, _repo_id(request), body.flavor, body.sleep_time_seconds
    )
    return _runtime(space)


async def set_sleep_time(request: Request) -> Response:
    actor = actor_of(request)
    body = await _body(request, SleepTimeBody)
    return _runtime(hub_of(request).spaces.set_sleep_time(actor, _repo_id(request), body.seconds))


async def pause(request: Request) -> Response:
    return _runtime(hub_of(request).spaces.pause(actor_of(request), _repo_id(request)))


async def restart(request: Request) -> Response:
    factory = query_flag(request.query_params.get("factory"))
    space = hub_of(request).spaces.restart(actor_of(request), _repo_id(request), factory=factory)
    return _runtime(space)


async def dev_mode(request: Request) -> Response:
    actor = actor_of(request)
    body = await _body(request, DevModeBody)
    return _runtime(hub_of(request).spaces.set_dev_mode(actor, _repo_id(request), body.enabled))


async def storage(request: Request) -> Response:
    actor = actor_of(request)
    spaces = hub_of(request).spaces
    if request.method == "DELETE":
        return _runtime(spaces.delete_storage(actor, _repo_id(request)))
    body = await _body(request, StorageBody)
    return _runtime(spaces.request_storage(actor, _repo_id(request), body.tier))


async def volumes(request: Request) -> Response:
    actor = actor_of(request)
    spaces = hub_of(request).spaces
    if request.method == "DELETE":
        return _runtime(spaces.delete_volumes(actor, _repo_id(request)))
    body = await _body(request, VolumesBody)
    space = spaces.set_volumes(actor, _repo_id(request), [v.to_volume() for v in body.volumes])
    return _runtime(space)


async def secrets(request: Request) -> Response:
    actor = actor_of(request)
    spaces = hub_of(request).spaces
    repo_id = _repo_id(request)
    if request.method == "GET":
        return JSONResponse(secrets_json(spaces.secrets(actor, repo_id)))
    if request.method == "DELETE":
        key = (await _body(request, KeyBody)).key
        spaces.delete_secret(actor, repo_id, key)
    else:
        body = await _body(request, KeyValueBody)
        spaces.add_secret(actor, repo_id, body.key, body.value, body.description)
    return JSONResponse({})


async def variables(request: Request) -> Response:
    actor = actor_of(request)
    spaces = hub_of(request).spaces
    repo_id = _repo_id(request)
    if request.method == "GET":
        return JSONResponse(variables_json(spaces.variables(actor, repo_id)))
    if request.method == "DELETE":
        key = (await _body(request, KeyBody)).key
        return JSONResponse(variables_json(spaces.delete_variable(actor, repo_id, key)))
    body = await _body(request, KeyValueBody)
    result = spaces.add_variable(actor, repo_id, body.key, body.value, body.description)
    return JSONResponse(variables_json(result))


def _tail(request: Request) -> int | None:
    raw = request.query_params.get("tail")
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadRequest(f"tail: expected a non-negative integer, got {raw!r}")
    return int(raw)


async def space_logs(request: Request) -> Response:
    kind = request.path_params["log_type"]
    if kind not in ("build", "run"):
        raise BadRequest(f"logType: expected 'build' or 'run', got {kind!r}")
    log_kind: LogKind = kind
    tail = _tail(request)
    spaces = hub_of(request).spaces
    space = spaces.open_logs(actor_of(request), _repo_id(request))

    def read(cursor: int) -> Batch:
        # The SSE follower starts at 0; our cursors are absolute log indexes, shifted by one.
        got = spaces.read_logs(space, log_kind, cursor - 1 if cursor else None, tail)
        frames = [frame({"data": line.text, "timestamp": iso(line.at_ns)}) for line in got.lines]
        return Batch(frames=frames, cursor=got.cursor + 1, finished=got.finished)

    return sse_response(read)


_SPACE = "/api/spaces/{namespace}/{name}"

routes: list[BaseRoute] = [
    Route("/api/spaces/hardware", list_hardware, methods=["GET"]),
    Route("/api/spaces/zero-gpu/quota", zero_gpu_quota, methods=["GET"]),
    Route("/api/spaces/semantic-search", semantic_search, methods=["GET"]),
    Route("/api/spaces/templates", templates, methods=["GET"]),
    Route(f"{_SPACE}/runtime", get_runtime, methods=["GET"]),
    Route(f"{_SPACE}/hardware", request_hardware, methods=["POST"]),
    Route(f"{_SPACE}/sleeptime", set_sleep_time, methods=["POST"]),
    Route(f"{_SPACE}/pause", pause, methods=["POST"]),
    Route(f"{_SPACE}/restart", restart, methods=["POST"]),
    Route(f"{_SPACE}/dev-mode", dev_mode, methods=["POST"]),
    Route(f"{_SPACE}/storage", storage, methods=["POST", "DELETE"]),
    Route(f"{_SPACE}/volumes", volumes, methods=["PUT", "DELETE"]),
    Route(f"{_SPACE}/secrets", secrets, methods=["GET", "POST", "DELETE"]),
    Route(f"{_SPACE}/variables", variables, methods=["GET", "POST", "DELETE"]),
    Route(f"{_SPACE}/logs/{{log_type}}", space_logs, methods=["GET"]),
]
