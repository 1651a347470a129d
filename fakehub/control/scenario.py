"""``/_fakehub/scenario``: load a scenario into a running server, see which one is loaded."""

from __future__ import annotations

from pydantic import Field, StrictStr, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import body_model, hub_of
from fakehub.control.docs import control_doc
from fakehub.domain.errors import BadRequest
from fakehub.hub import FakeHub
from fakehub.scenario.loader import LoadedScenario, load, parse, resolve
from fakehub.scenario.model import ScenarioError
from fakehub.wire.control.scenario import LoadedOut, Status, loaded_json
from fakehub.wire.parse import WireModel


class ScenarioBody(WireModel):
    """Exactly one of: a shipped scenario's ``name``, a ``path`` on the server, inline ``yaml``."""

    name: StrictStr | None = None
    path: StrictStr | None = None
    yaml: StrictStr | None = Field(default=None, description="The scenario file's text.")

    @model_validator(mode="after")
    def _exactly_one(self) -> ScenarioBody:
        given = [k for k in ("name", "path", "yaml") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'name', 'path' or 'yaml'")
        return self


def _describe(hub: FakeHub, status: Status) -> LoadedOut:
    loaded = hub.scenario
    if loaded is None:
        return loaded_json(status)
    model = loaded.scenario if isinstance(loaded, LoadedScenario) else None
    return loaded_json(
        status,
        source=loaded.source,
        name=model.name if model else None,
        description=model.description if model else None,
    )


@control_doc(
    "Load a scenario and start over from it (a reset then goes back to it)",
    body=ScenarioBody,
    response=loaded_json,
    description="A scenario that does not validate, or cannot be applied, is refused with a 400 "
    "listing every problem with its key path; the hub is then left as it was.",
)
async def load_scenario(request: Request) -> Response:
    body = await body_model(request, ScenarioBody)
    try:
        if body.yaml is not None:
            loaded = parse(body.yaml, "<posted scenario>")
        else:
            loaded = load(resolve(body.name or body.path or ""))
    except ScenarioError as exc:
        raise BadRequest(str(exc)) from None
    hub = hub_of(request)
    try:
        hub.load_scenario(loaded)
    except ScenarioError as exc:
        raise BadRequest(str(exc)) from None
    return JSONResponse(_describe(hub, "loaded"))


@control_doc("The loaded scenario, if any", response=loaded_json)
async def get_scenario(request: Request) -> Response:
    return JSONResponse(_describe(hub_of(request), "current"))


@control_doc("Unload the scenario and go back to the plain starting state", response=loaded_json)
async def unload_scenario(request: Request) -> Response:
    hub = hub_of(request)
    hub.load_scenario(None)
    return JSONResponse(_describe(hub, "unloaded"))


routes = [
    Route("/_fakehub/scenario", load_scenario, methods=["POST", "PUT"]),
    Route("/_fakehub/scenario", get_scenario, methods=["GET"]),
    Route("/_fakehub/scenario", unload_scenario, methods=["DELETE"]),
]
