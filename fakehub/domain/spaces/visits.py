"""Visits: a visitor opens a Space (the control API), or a request reaches its app host.

Either way the Space wakes if asleep and its idle timer starts again; a request to the app host
is then answered on the app's behalf (:mod:`fakehub.domain.spaces.apphost`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest, RepoNotFound
from fakehub.domain.spaces import apphost
from fakehub.domain.spaces.lifecycle import Lifecycle
from fakehub.domain.spaces.records import AppRoute, Space, SpaceStage
from fakehub.domain.spaces.store import SpaceStore

S = SpaceStage


class SpaceVisits:
    """The visit operations of :class:`~.service.SpaceService` (one of its bases)."""

    ctx: HubContext
    store: SpaceStore
    lifecycle: Lifecycle

    @operation
    def visit(self, repo_id: str) -> str:
        """A visitor opens the Space: wakes it if asleep, resets its idle timer."""
        space = self.store.get(repo_id)
        if space is None:
            raise RepoNotFound(f"Space {repo_id} not found")
        self._visited(space)
        return space.stage.value

    def _visited(self, space: Space) -> None:
        now = self.ctx.clock.now()
        space.last_activity_ns = now
        if space.stage is S.SLEEPING:
            self.lifecycle.move(space, S.APP_STARTING, now)
        elif space.stage is S.RUNNING:
            self.lifecycle.arm_sleep(space, now)

    @operation
    def serve_app(self, host: str, method: str, path: str) -> apphost.AppAnswer:
        """A request to a Space's app host (``<owner>-<name>.hf.space``): a visit, answered
        on the app's behalf for the stage the Space is in once visited."""
        subdomain = host.lower().split(":")[0].removesuffix(".hf.space")
        space = next((s for s in self.store if s.subdomain == subdomain), None)
        if space is None or space.stage is S.DELETING:
            return apphost.unknown_space(host)
        self._visited(space)
        return apphost.answer(space, method, path)


def app_routes(app: Mapping[str, AppRoute]) -> Iterator[tuple[str, AppRoute]]:
    """Scripted app answers, validated: paths start with '/', statuses are HTTP statuses."""
    for path, route in app.items():
        if not path.startswith("/"):
            raise BadRequest(f"app: path {path!r} must start with '/'")
        if not 100 <= route.status <= 599:
            raise BadRequest(f"app {path}: status {route.status} is not an HTTP status")
        if route.latency < 0:
            raise BadRequest(f"app {path}: latency must be >= 0 seconds")
        yield path, route
