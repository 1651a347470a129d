"""`FakeHub`, the facade: owns the state, the clock and the services.

Every caller — HTTP routes, the control API, the pytest plugin, the CLI, scenarios — goes
through one ``FakeHub``. There are no module-level singletons: two hubs in one process are fully
independent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from fakehub.clock import ClockMode, ClockState, VirtualClock
from fakehub.config import HubConfig, accounts_from
from fakehub.domain.accounts import Accounts, Actor, Identity
from fakehub.domain.billing import BilledPeriod, BillingMeter, BillingReport
from fakehub.domain.billing import report as billing_report
from fakehub.domain.buckets.service import BucketService
from fakehub.domain.buckets.store import BucketStore
from fakehub.domain.context import HubContext, Policies
from fakehub.domain.jobs.scheduled import ScheduledJobService
from fakehub.domain.jobs.service import JobService
from fakehub.domain.outages.service import OutageService
from fakehub.domain.spaces.files import SpaceFiles
from fakehub.domain.spaces.lfs import LfsService
from fakehub.domain.spaces.repos import SpaceRepos
from fakehub.domain.spaces.service import SpaceService
from fakehub.domain.spaces.store import SpaceStore
from fakehub.domain.spaces.xet_repos import SpaceXetRepos
from fakehub.domain.xet import XetService
from fakehub.dump import dump_state
from fakehub.faults.book import FaultBook
from fakehub.ids import IdFactory
from fakehub.machines.policy import Policy
from fakehub.machines.progression import Progression
from fakehub.requestlog import RequestLog
from fakehub.scheduler import Scheduler
from fakehub.storage.blobs import BlobStore
from fakehub.storage.xet.cas import XetCas

T = TypeVar("T")
R = TypeVar("R")


class StartingState(Protocol):
    """A state a hub starts from and comes back to on every reset (a loaded scenario is one).

    The hub calls it and never imports what implements it, so scenarios sit above the hub.
    """

    @property
    def source(self) -> str:
        """Where the state comes from (a file path, or a name)."""
        ...

    def configure(self, base: HubConfig) -> HubConfig:
        """The configuration to build the hub with, given the one the hub was made with."""
        ...

    def build(self, hub: FakeHub) -> None:
        """Create the state on ``hub``, freshly built from :meth:`configure`'s configuration."""
        ...


class FakeHub:
    def __init__(
        self, config: HubConfig | None = None, *, scenario: StartingState | None = None
    ) -> None:
        #: the configuration given to the hub; a scenario's settings take precedence over it
        self.base_config = config or HubConfig()
        self.config = self.base_config
        #: the scenario a reset goes back to (``None``: the plain starting state)
        self.scenario = scenario
        self.reset()

    # -- lifecycle --------------------------------------------------------------------------

    def reset(self, config: HubConfig | None = None) -> None:
        """Back to the starting state: the loaded scenario if there is one, else the config."""
        if config is not None:
            self.base_config = config
        self.config = self.base_config
        if self.scenario is not None:
            self.config = self.scenario.configure(self.base_config)
        self._build(self.config)
        if self.scenario is not None:
            self.scenario.build(self)

    def load_scenario(self, scenario: StartingState | None) -> None:
        """Start over from ``scenario`` (and come back to it on every reset); ``None`` unloads."""
        with self.ctx.lock:
            previous = self.scenario
            self.scenario = scenario
            try:
                self.reset()
            except Exception:
                self.scenario = previous  # a scenario that fails to apply changes nothing
                self.reset()
                raise

    def _build(self, cfg: HubConfig) -> None:
        lock = getattr(self, "ctx", None)
        scheduler = Scheduler()
        self.ctx = HubContext(
            clock=VirtualClock(cfg.start_ns, mode=cfg.clock_mode, speed=cfg.clock_speed),
            scheduler=scheduler,
            ids=IdFactory(cfg.seed),
            accounts=accounts_from(cfg),
            progression=Progression(scheduler),
            policies=Policies(space=cfg.space_policy, job=cfg.job_policy),
            # Keep the same lock object across resets so a request in flight cannot race one.
            **({"lock": lock.lock} if lock is not None else {}),
        )
        self._keep_or_build_storage(cfg)
        self.space_store = SpaceStore(self.ctx.accounts)
        #: Space runtime: stages, hardware, sleep, secrets, variables, logs
        self.spaces = SpaceService(self.ctx, self.space_store)
        #: Space repositories: create, delete, info, list, duplicate, commits and files
        self.repos = SpaceRepos(self.ctx, self.space_store, self.spaces, self.cas)
        self.bucket_store = BucketStore(self.ctx.accounts)
        #: storage buckets: create, info, list, delete, move, settings, files
        self.buckets = BucketService(self.ctx, self.bucket_store, self.space_store)
        #: Xet access tokens (Spaces and buckets) and the CAS operations behind them
        self.xet = XetService(
            self.ctx,
            self.cas,
            {"space": SpaceXetRepos(self.space_store), "bucket": self.bucket_store},
        )
        self.jobs = JobService(self.ctx, self.space_store, self.bucket_store)
        #: flavor capacity outages (``/_fakehub/outages``); cleared by a reset
        self.outages = OutageService(self.ctx)
        #: fault rules applied to Hub requests (``/_fakehub/faults``); cleared by a reset
        self.faults = FaultBook(seed=cfg.seed)
        #: what the fake was asked (``/_fakehub/requests``); cleared by a reset
        self.request_log = RequestLog()

    def _keep_or_build_storage(self, cfg: HubConfig) -> None:
        """Uploaded bytes survive a reset (unless the storage settings change).

        They are content-addressed and immutable, and hf_xet clients remember which xorbs the
        server holds (their chunk cache): a CAS that forgot them would refuse those clients'
        next shard. A reset forgets every repo's and bucket's link to them instead.
        """
        previous: BlobStore | None = getattr(self, "storage", None)
        if previous is not None and (previous.max_bytes, previous.directory) == (
            cfg.max_storage_bytes,
            cfg.storage_dir,
        ):
            return
        #: uploaded bytes (LFS objects, Xet xorbs), content-addressed and deduplicated
        self.storage = BlobStore(cfg.max_storage_bytes, cfg.storage_dir)
        #: the Xet CAS index over that storage: xorbs, their chunks, registered files
        self.cas = XetCas(self.storage)

    def dump(self) -> dict[str, Any]:
        """A canonical JSON-able snapshot of everything the hub holds (secrets redacted)."""
        return dump_state(self)

    @contextmanager
    def holding(self) -> Iterator[Mapping[str, Any]]:
        """What the hub holds, by attribute, with the lock held and due events applied.

        The request log is left out: it records what was asked, it is not state.
        """
        with self.ctx.transaction():
            yield {name: value for name, value in vars(self).items() if name != "request_log"}

    def read_clock(self) -> int:
        """The virtual now without applying due events or locking (what middlewares stamp)."""
        return self.ctx.clock.now()

    # -- the services' parts routes call directly (properties: the dump walks attributes) ------

    @property
    def scheduled_jobs(self) -> ScheduledJobService:
        """Scheduled jobs (cron): create, list, inspect, suspend, trigger, reschedule."""
        return self.jobs.scheduled

    @property
    def files(self) -> SpaceFiles:
        """A Space's files: preupload, commit, tree, paths-info, read, history."""
        return self.repos.files

    @property
    def lfs(self) -> LfsService:
        """git-lfs batch tickets, part uploads and verify."""
        return self.repos.lfs

    @property
    def accounts(self) -> Accounts:
        """The users, orgs and tokens now (the CLI's banner, scenarios acting for an owner)."""
        return self.ctx.accounts

    def call_at(self, at_ns: int, action: Callable[[int], None], *, label: str) -> None:
        """Run ``action(at_ns)`` when virtual time reaches ``at_ns`` (a scenario's timeline)."""
        self.ctx.scheduler.schedule(at_ns, action, label=label)

    def authenticate(self, authorization: str | None) -> Actor | None:
        """The caller behind an ``Authorization`` header (``None``: anonymous; bad ones raise)."""
        return self.ctx.accounts.authenticate(authorization)

    def snapshot(self, act: Callable[[], T], render: Callable[[T, int], R]) -> R:
        """Run ``act`` as one operation and ``render`` its result at that same instant.

        ``render`` gets the result and the virtual now, with the lock still held: a record
        cannot move between the operation and its serialisation.
        """
        ctx = self.ctx
        with ctx.lock:  # ``ctx.transaction()`` spelled out, as ``@operation`` does
            ctx.catch_up()
            result = act()
            return render(result, ctx.clock.now())

    def whoami(self, actor: Actor) -> Identity:
        """Who ``actor`` is: the user, their orgs and the token used (``/api/whoami-v2``)."""
        with self.ctx.lock:  # a read of the accounts: nothing due needs applying first
            return self.ctx.accounts.identity(actor, created_at=self.config.start_ns)

    # -- time ------------------------------------------------------------------------------------

    def now(self) -> int:
        """The virtual now, in nanoseconds since the epoch (due events applied)."""
        with self.ctx.transaction() as now:
            return now

    def advance(self, seconds: float) -> int:
        """Move virtual time forward, applying every due transition in order."""
        with self.ctx.lock:
            self.ctx.clock.advance(seconds)
            return self._catch_up()

    def move_to(self, target_ns: int) -> int:
        with self.ctx.lock:
            self.ctx.clock.move_to(target_ns)
            return self._catch_up()

    def set_clock_mode(self, mode: ClockMode, speed: float | None = None) -> ClockState:
        with self.ctx.transaction():
            self.ctx.clock.set_mode(mode, speed)
            return self.ctx.clock.state()

    def clock_state(self) -> ClockState:
        with self.ctx.transaction():
            return self.ctx.clock.state()

    def _catch_up(self) -> int:
        return self.ctx.catch_up()

    # -- billing ---------------------------------------------------------------------------------

    def billing(self) -> BillingReport:
        """What paid hardware has cost so far, per Space and Job (frozen as of now)."""
        with self.ctx.transaction() as now:
            return billing_report(self.ctx.billing, now)

    def paid_hardware_running(self) -> tuple[BilledPeriod, ...]:
        """Spaces and Jobs holding paid hardware right now (empty when nothing is left on)."""
        return self.billing().running_paid

    def meter(self) -> BillingMeter:
        """The live billing meter, for reads that cost a page rather than a full report.

        Read it inside :meth:`reading`, so no period closes while it is summed.
        """
        return self.ctx.billing

    # -- reads across services (the dashboard's views) ------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[int]:
        """Hold the lock with due events applied, for a read over several services; yields now."""
        with self.ctx.transaction() as now:
            yield now

    # -- policies --------------------------------------------------------------------------------

    def policies(self) -> Policies:
        """The progression policies in force (a copy: change them with :meth:`set_policy`)."""
        with self.ctx.lock:
            return Policies(space=self.ctx.policies.space, job=self.ctx.policies.job)

    def set_policy(self, kind: str, policy: Policy) -> None:
        """Change the progression policy of ``"space"`` or ``"job"`` resources from now on."""
        with self.ctx.transaction():
            if kind == "space":
                self.ctx.policies.space = policy
            elif kind == "job":
                self.ctx.policies.job = policy
            else:
                raise ValueError(f"unknown resource kind {kind!r}: expected 'space' or 'job'")
