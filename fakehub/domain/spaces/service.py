"""Space runtime operations: stages, hardware, sleep, storage, volumes, logs (secrets and
variables: :mod:`.secrets`).

Every public method is one hub operation. Lookups go through the store (404 for what the caller
may not see, then 401/403 for what it may not change); input is validated fully before any
change. The repository side (``SpaceRepos``) calls the ``on_*`` hooks and :meth:`observe`
inside its own operations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from fakehub.domain.accounts import Actor, Plan
from fakehub.domain.context import HubContext, operation
from fakehub.domain.errors import BadRequest, RepoNotFound, Unauthorized
from fakehub.domain.spaces import discovery, logs, machine, rules
from fakehub.domain.spaces import runtime_settings as settings
from fakehub.domain.spaces.lifecycle import Lifecycle
from fakehub.domain.spaces.records import AppRoute, Space, SpaceScript, SpaceStage
from fakehub.domain.spaces.secrets import SpaceSecrets
from fakehub.domain.spaces.store import SpaceStore
from fakehub.domain.spaces.visits import SpaceVisits, app_routes
from fakehub.domain.volumes import Volume

S = SpaceStage


class SpaceService(SpaceSecrets, SpaceVisits):
    def __init__(self, ctx: HubContext, store: SpaceStore) -> None:
        self.ctx = ctx
        self.store = store
        self.lifecycle = Lifecycle(ctx)

    # -- hooks for the repository side (called inside its operations) --------------------------

    def on_created(self, space: Space, now_ns: int) -> None:
        """Initial stage of a Space just added to the store."""
        self._normalise_hardware(space)
        self.lifecycle.start(space, now_ns)

    def on_files_changed(self, space: Space, now_ns: int) -> None:
        """A commit changed files: reindex, then rebuild or say why the Space cannot build."""
        self.store.refresh(space)
        self.lifecycle.files_changed(space, now_ns)

    def on_deleted(self, space: Space) -> None:
        self.lifecycle.forget(space)

    def on_moved(self, space: Space, old_repo_id: str) -> None:
        """A renamed Space keeps its billing history under its new name."""
        self.ctx.billing.rename(f"space:{old_repo_id}", self.lifecycle.billing_key(space))

    def on_duplicated(self, source: Space, copy: Space, now_ns: int) -> None:
        """The copy ends where the source is: paused if it is paused, else built and running."""
        copy.script = source.script
        self._normalise_hardware(copy)
        if source.stage is S.PAUSED and copy.sdk != "static":
            self.lifecycle.move(copy, S.PAUSED, now_ns)
        else:
            self.lifecycle.start(copy, now_ns)

    def observe(self, space: Space, now_ns: int) -> None:
        """Count a read of the Space (runtime, ``space_info``) as one poll (per-poll policy).

        Call it after taking the snapshot you answer with, inside your operation. A read is
        not a visit: it neither wakes a sleeping Space nor resets its idle timer.
        """
        self.ctx.progression.on_read(self.lifecycle.key(space), now_ns)

    @staticmethod
    def _normalise_hardware(space: Space) -> None:
        if space.sdk == "static":
            space.requested_hardware = space.current_hardware = None
        else:
            space.requested_hardware = space.requested_hardware or machine.DEFAULT_FLAVOR
            space.current_hardware = None

    # -- control (no Hub route: the control API, the plugin, scenarios) -------------------------

    def _existing(self, repo_id: str) -> Space:
        space = self.store.get(repo_id)
        if space is None:
            raise RepoNotFound(f"Space {repo_id} not found")
        return space

    @operation
    def script(
        self,
        repo_id: str,
        *,
        build: Literal["ok", "error"] = "ok",
        build_logs: Sequence[str] | None = None,
        run_logs: Sequence[str] | None = None,
        crash_after: float | None = None,
        error_message: str | None = None,
        app: Mapping[str, AppRoute] | None = None,
    ) -> Space:
        """Script how the Space's next builds and starts turn out (defaults succeed); the Space
        as it is right after (a RUNNING app scripted to crash at 0 has crashed)."""
        space = self._existing(repo_id)
        if build not in ("ok", "error"):
            raise BadRequest(f"build: expected 'ok' or 'error', got {build!r}")
        if crash_after is not None and crash_after < 0:
            raise BadRequest("crash_after: must be a number of seconds >= 0")
        space.script = SpaceScript(
            build=build,
            build_logs=tuple(build_logs) if build_logs is not None else None,
            run_logs=tuple(run_logs) if run_logs is not None else None,
            crash_after=crash_after,
            error_message=error_message,
            app=tuple(app_routes(app or {})),
        )
        self.lifecycle.rearm_crash(space, self.ctx.clock.now())
        return self._snapshot(space)

    @operation
    def place(self, repo_id: str, stage: SpaceStage, *, error_message: str | None = None) -> None:
        """Put a Space straight into ``stage`` (scenarios): hardware, timers and progression
        follow as if it had got there on its own."""
        space = self._existing(repo_id)
        if space.sdk == "static" and stage is not S.RUNNING:
            raise BadRequest(f"stage: a static Space is always RUNNING, not {stage.value}")
        if stage in (S.BUILD_ERROR, S.RUNTIME_ERROR, S.CONFIG_ERROR) and error_message is None:
            error_message = f"{stage.value} (placed by a scenario)"
        elif stage not in (S.BUILD_ERROR, S.RUNTIME_ERROR, S.CONFIG_ERROR):
            error_message = None
        self.lifecycle.move(space, stage, self.ctx.clock.now(), error=error_message)

    # -- runtime ---------------------------------------------------------------------------------

    def _snapshot(self, space: Space) -> Space:
        return space.__copy__()  # ``copy.copy`` would only look this up first

    @operation
    def check_writable(self, actor: Actor | None, repo_id: str) -> None:
        """404 if ``actor`` cannot see the Space, 401/403 if it may not change it."""
        self.store.writable(actor, repo_id, "change this Space")

    @operation
    def runtime(self, actor: Actor | None, repo_id: str) -> Space:
        """The Space as this read found it (a copy), then the read counts as a poll."""
        space = self.store.visible(actor, repo_id)
        snapshot = self._snapshot(space)
        self.observe(space, self.ctx.clock.now())
        return snapshot

    @operation
    def request_hardware(
        self, actor: Actor | None, repo_id: str, flavor: str, sleep_time: int | None = None
    ) -> Space:
        space = self.store.writable(actor, repo_id, "request hardware for this Space")
        settings.require_not_static(space, "request hardware (static Spaces run on no hardware)")
        wanted = rules.validate_flavor(flavor)
        if sleep_time is not None:
            rules.validate_sleep_time(sleep_time, "sleepTimeSeconds")
        rules.check_can_pay(self.ctx.accounts, space.namespace, wanted)
        now = self.ctx.clock.now()
        changed = space.requested_hardware != wanted.name
        space.requested_hardware = wanted.name
        if sleep_time is not None and wanted.name not in machine.FIXED_SLEEP_FLAVORS:
            space.sleep_time = sleep_time
        if changed:
            self.lifecycle.changed(space, now)
        else:
            self.lifecycle.arm_sleep(space, now)
        return self._snapshot(space)

    @operation
    def set_sleep_time(self, actor: Actor | None, repo_id: str, seconds: int) -> Space:
        space = self.store.writable(actor, repo_id, "change the sleep time of this Space")
        settings.require_not_static(space, "set a sleep time (static Spaces never sleep)")
        rules.validate_sleep_time(seconds)
        flavor = machine.effective_flavor(space.sdk, space.requested_hardware)
        if flavor == "zero-a10g":
            raise BadRequest("Cannot change the sleep time for zero-a10g Spaces.")
        if flavor != machine.DEFAULT_FLAVOR:
            # On cpu-basic the 48 h are fixed: accepted and ignored (the client then warns).
            space.sleep_time = seconds
            self.lifecycle.arm_sleep(space, self.ctx.clock.now())
        return self._snapshot(space)

    @operation
    def pause(self, actor: Actor | None, repo_id: str) -> Space:
        space = self.store.writable(actor, repo_id, "pause this Space")
        settings.require_not_static(space, "pause the Space")
        self.lifecycle.move(space, S.PAUSED, self.ctx.clock.now())
        return self._snapshot(space)

    @operation
    def restart(self, actor: Actor | None, repo_id: str, *, factory: bool = False) -> Space:
        space = self.store.writable(actor, repo_id, "restart this Space")
        settings.require_not_static(space, "restart the Space")
        self.lifecycle.start(space, self.ctx.clock.now(), factory=factory)
        return self._snapshot(space)

    @operation
    def set_dev_mode(self, actor: Actor | None, repo_id: str, enabled: bool) -> Space:
        space = self.store.writable(actor, repo_id, "change dev mode of this Space")
        if settings.set_dev_mode(self.ctx.accounts, space, enabled):
            self.lifecycle.changed(space, self.ctx.clock.now())
        return self._snapshot(space)

    @operation
    def request_storage(self, actor: Actor | None, repo_id: str, tier: str) -> Space:
        space = self.store.writable(actor, repo_id, "request storage for this Space")
        if settings.request_storage(self.ctx.accounts, space, tier):
            self.lifecycle.changed(space, self.ctx.clock.now())
        return self._snapshot(space)

    @operation
    def delete_storage(self, actor: Actor | None, repo_id: str) -> Space:
        space = self.store.writable(actor, repo_id, "delete the storage of this Space")
        if settings.delete_storage(space):
            self.lifecycle.changed(space, self.ctx.clock.now())
        return self._snapshot(space)

    @operation
    def set_volumes(self, actor: Actor | None, repo_id: str, volumes: list[Volume]) -> Space:
        space = self.store.writable(actor, repo_id, "set the volumes of this Space")

        def check_sources(checked: list[Volume]) -> None:
            self.store.check_volumes(actor, checked, "volumes")

        if settings.set_volumes(space, volumes, check_sources):
            self.lifecycle.changed(space, self.ctx.clock.now())
        return self._snapshot(space)

    @operation
    def delete_volumes(self, actor: Actor | None, repo_id: str) -> Space:
        space = self.store.writable(actor, repo_id, "delete the volumes of this Space")
        if settings.delete_volumes(space):
            self.lifecycle.changed(space, self.ctx.clock.now())
        return self._snapshot(space)

    # -- logs ------------------------------------------------------------------------------------

    @operation
    def open_logs(self, actor: Actor | None, repo_id: str) -> Space:
        """The Space whose logs ``actor`` may stream (read it only through :meth:`read_logs`)."""
        return self.store.visible(actor, repo_id)

    @operation
    def read_logs(
        self, space: Space, kind: logs.LogKind, cursor: int | None, tail: int | None = None
    ) -> logs.LogRead:
        """Lines after ``cursor``; finished once the build is over (build logs), once the
        Space rests (run logs), or once it is gone."""
        gone = self.store.get(space.repo_id) is not space
        live = machine.BUILDING_STAGES if kind == "build" else machine.INTERMEDIATE
        finished = gone or space.stage not in live
        return logs.read(space, kind, cursor, tail=tail, finished=finished)

    # -- account-wide ----------------------------------------------------------------------------

    @operation
    def zero_gpu_quota(self, actor: Actor | None) -> discovery.ZeroGpuQuota:
        if actor is None:
            raise Unauthorized("A valid token is required to get the ZeroGPU quota")
        return discovery.zero_gpu_quota(actor.user.plan is Plan.PRO)

    @operation
    def search(
        self,
        actor: Actor | None,
        query: str,
        *,
        tags: Sequence[str] = (),
        sdks: Sequence[str] = (),
        include_non_running: bool = False,
    ) -> list[Space]:
        """Case-insensitive substring match on id and card title over visible Spaces."""
        return [
            self._snapshot(space)
            for space in self.store
            if self.store.can_see(actor, space)
            and discovery.matches(
                space, query, tags=tags, sdks=sdks, include_non_running=include_non_running
            )
        ]
