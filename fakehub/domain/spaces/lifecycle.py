"""Drives Spaces through the stage machine: progression steps, the sleep timer, crashes, logs.

Every stage change goes through :meth:`Lifecycle.enter`, which keeps the rest of the record in
step with the stage (``hardware.current``, ``errorMessage``, timers, log lines), so the
invariants hold whatever path led there. Changes made outside progression end with
:meth:`Lifecycle.settle`, which arms the next automatic step under the Space policy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from fakehub.clock import NS_PER_SECOND
from fakehub.domain.catalogue import space_flavor
from fakehub.domain.context import HubContext
from fakehub.domain.spaces import logs, machine
from fakehub.domain.spaces.card import README, app_file_for, parse_card
from fakehub.domain.spaces.records import Space, SpaceStage
from fakehub.domain.spaces.tree import regular_bytes
from fakehub.machines.progression import Step
from fakehub.scheduler import EventHandle

S = SpaceStage


@dataclass
class _Timers:
    sleep: EventHandle | None = None
    crash: EventHandle | None = None

    def cancel(self) -> None:
        for handle in (self.sleep, self.crash):
            if handle is not None:
                handle.cancel()
        self.sleep = self.crash = None


@dataclass
class _Stepper:
    """Plugs one Space into the progression engine."""

    lifecycle: Lifecycle
    space: Space
    #: the time of the last settle or applied step: capacity is judged at that instant
    at_ns: int

    def next_step(self) -> Step | None:
        step = machine.next_step(self.space.stage)
        if step is not None and self.lifecycle.waits_for_capacity(self.space, self.at_ns):
            return None  # rests until the outage ends (a scheduled wake-up settles it again)
        return step

    def apply(self, step: Step, at_ns: int) -> None:
        self.at_ns = at_ns
        if self.lifecycle.waits_for_capacity(self.space, at_ns):
            return  # an outage began after the step was armed: the step is not taken
        self.lifecycle.complete(self.space, at_ns)


@dataclass
class Lifecycle:
    ctx: HubContext
    _timers: dict[str, _Timers] = field(default_factory=dict)

    @staticmethod
    def key(space: Space) -> str:
        return f"space:{space.id}"

    @staticmethod
    def billing_key(space: Space) -> str:
        """The Space's name in billing reports (its history follows it when it is moved)."""
        return f"space:{space.repo_id}"

    # -- stage changes -------------------------------------------------------------------------

    def enter(
        self,
        space: Space,
        stage: SpaceStage,
        at_ns: int,
        *,
        error: str | None = None,
        factory: bool = False,
    ) -> None:
        previous = space.stage
        space.stage = stage
        space.current_hardware = machine.current_hardware(
            stage, space.current_hardware, space.requested_hardware
        )
        space.error_message = error
        if stage is S.RUNNING:
            space.app_sha = space.sha  # the commit the app serves, kept while a new one builds
        self.ctx.outages.stop_waiting(self.key(space))  # settle judges capacity afresh
        self._bill(space, at_ns)
        if stage is not S.RUNNING:
            self._timers_of(space).cancel()
        if stage in (S.BUILDING, S.RUNNING_BUILDING):
            logs.build_started(space, at_ns, factory=factory)
        elif stage in (S.APP_STARTING, S.RUNNING_APP_STARTING):
            logs.app_starting(space, at_ns)
        elif stage is S.RUNNING and previous is not S.RUNNING and space.sdk != "static":
            logs.app_running(space, at_ns)
            space.last_activity_ns = at_ns
            self.arm_sleep(space, at_ns)
            self._arm_crash(space, at_ns)

    def settle(self, space: Space, now_ns: int) -> None:
        """Arm the next automatic step of ``space`` (or none) after an outside change."""
        self.ctx.progression.rearm(
            self.key(space), _Stepper(self, space, now_ns), self.ctx.policies.space, now_ns
        )

    def move(
        self,
        space: Space,
        stage: SpaceStage,
        now_ns: int,
        *,
        error: str | None = None,
        factory: bool = False,
    ) -> None:
        self.enter(space, stage, now_ns, error=error, factory=factory)
        self.settle(space, now_ns)

    def complete(self, space: Space, at_ns: int) -> None:
        """Apply the automatic step out of the Space's stage (called by progression)."""
        script = space.script
        outcome = machine.Outcome(
            build_ok=script.build == "ok", crash_at_start=script.crash_after == 0
        )
        stage = machine.after_step(space.stage, outcome)
        if machine.next_step(space.stage) is machine.BUILD:
            logs.build_finished(space, at_ns, ok=outcome.build_ok)
        error = None
        if stage is S.BUILD_ERROR:
            error = script.error_message or logs.DEFAULT_BUILD_ERROR
        elif stage is S.RUNTIME_ERROR:
            error = script.error_message or logs.DEFAULT_RUNTIME_ERROR
            logs.app_running(space, at_ns)
            logs.app_crashed(space, at_ns, error)
        self.enter(space, stage, at_ns, error=error)

    # -- hardware: billing and capacity ---------------------------------------------------------

    def _bill(self, space: Space, at_ns: int) -> None:
        """Hold ``hardware.current`` while an app serves on it (the Hub bills only a Space
        that is up: not while it builds, starts, sleeps, is paused or has failed)."""
        flavor = None
        if space.stage in machine.SERVING and space.current_hardware is not None:
            flavor = space_flavor(space.current_hardware)
        if flavor is None:
            self.ctx.billing.release(self.billing_key(space), at_ns)
        else:
            self.ctx.billing.hold(self.billing_key(space), flavor, at_ns)

    def waits_for_capacity(self, space: Space, at_ns: int) -> bool:
        """Whether the Space's next build or start must wait for its flavor to come back.

        The first time it waits for a given outage, a log line says so and a wake-up is
        scheduled at the outage's end, which settles the Space again (any policy).
        """
        flavor = machine.effective_flavor(space.sdk, space.requested_hardware)
        if flavor is None:
            return False
        outage = self.ctx.outages.blocking(flavor, "space", at_ns)
        if outage is None:
            return False
        resume = functools.partial(self.settle, space)
        if self.ctx.outages.wait(self.key(space), outage, resume, self.ctx.scheduler):
            building = space.stage in machine.BUILDING_STAGES
            logs.waiting_for_capacity(space, flavor, at_ns, build=building)
        return True

    # -- what the files say --------------------------------------------------------------------

    def configured(self, space: Space) -> tuple[SpaceStage, str | None]:
        """Where a (re)start leads given the files: BUILDING, or why it cannot build."""
        if space.sdk == "static":
            return S.RUNNING, None
        card = parse_card(regular_bytes(space.files, README))
        if card.error:
            return S.CONFIG_ERROR, card.error
        app_file = app_file_for(space.sdk, card)
        if app_file is None or app_file not in space.files:
            return S.NO_APP_FILE, None
        return S.BUILDING, None

    def start(self, space: Space, now_ns: int, *, factory: bool = False) -> None:
        """A fresh start from the files (create, restart, duplicate)."""
        stage, error = self.configured(space)
        self.move(space, stage, now_ns, error=error, factory=factory)

    def files_changed(self, space: Space, now_ns: int) -> None:
        stage, error = self.configured(space)
        if space.sdk == "static" or space.stage is S.PAUSED:
            return  # static Spaces always serve; a paused Space builds when restarted
        if stage is S.BUILDING:
            stage = machine.rebuild_stage(space.stage)
        self.move(space, stage, now_ns, error=error)

    def changed(self, space: Space, now_ns: int) -> None:
        """A configuration change (hardware, secrets, ...): restart what is live."""
        stage = machine.after_change(space.stage)
        if stage is not space.stage or machine.is_intermediate(stage):
            self.move(space, stage, now_ns)

    # -- timers --------------------------------------------------------------------------------

    def _timers_of(self, space: Space) -> _Timers:
        return self._timers.setdefault(space.id, _Timers())

    def forget(self, space: Space) -> None:
        """The Space is deleted: nothing of it moves, waits or is billed any more."""
        self.ctx.progression.disarm(self.key(space))
        self.ctx.outages.stop_waiting(self.key(space))
        self.ctx.billing.release(self.billing_key(space), self.ctx.clock.now())
        timers = self._timers.pop(space.id, None)
        if timers:
            timers.cancel()

    def arm_sleep(self, space: Space, now_ns: int) -> None:
        """(Re)arm the idle timer of a RUNNING Space from its last activity."""
        timers = self._timers_of(space)
        if timers.sleep is not None:
            timers.sleep.cancel()
            timers.sleep = None
        seconds = machine.sleeps_after(space.sdk, space.requested_hardware, space.sleep_time)
        if space.stage is not S.RUNNING or seconds is None:
            return
        due = space.last_activity_ns + seconds * NS_PER_SECOND
        if due <= now_ns:
            self.enter(space, S.SLEEPING, now_ns)
            return
        timers.sleep = self.ctx.scheduler.schedule(
            due, lambda at: self._fall_asleep(space, at), label=f"{self.key(space)}:sleep"
        )

    def _fall_asleep(self, space: Space, at_ns: int) -> None:
        if space.stage is S.RUNNING:
            self.enter(space, S.SLEEPING, at_ns)

    def _arm_crash(self, space: Space, at_ns: int) -> None:
        crash_after = space.script.crash_after
        if not crash_after:
            return
        due = at_ns + round(crash_after * NS_PER_SECOND)
        self._timers_of(space).crash = self.ctx.scheduler.schedule(
            due, lambda at: self._crash(space, at), label=f"{self.key(space)}:crash"
        )

    def rearm_crash(self, space: Space, now_ns: int) -> None:
        """After a new script: a RUNNING app crashes ``crash_after`` seconds from now."""
        timers = self._timers_of(space)
        if timers.crash is not None:
            timers.crash.cancel()
            timers.crash = None
        if space.stage is S.RUNNING:
            if space.script.crash_after == 0:
                self._crash(space, now_ns)
            else:
                self._arm_crash(space, now_ns)

    def _crash(self, space: Space, at_ns: int) -> None:
        if space.stage is not S.RUNNING:
            return
        error = space.script.error_message or logs.DEFAULT_RUNTIME_ERROR
        logs.app_crashed(space, at_ns, error)
        self.enter(space, S.RUNTIME_ERROR, at_ns, error=error)
