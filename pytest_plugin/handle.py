"""The object a test gets from ``fake_hub``: who it is, where the fake is, and its controls."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fakehub import Policy
from fakehub.config import DEFAULT_READ_TOKEN, DEFAULT_USER, DEFAULT_WRITE_TOKEN
from fakehub.routing import Exchange, Router
from fakehub.timefmt import iso, parse_duration, parse_iso, to_datetime

from .backend import Backend
from .settings import Settings, token_of

if TYPE_CHECKING:
    from fakehub import FakeHub
    from fakehub.control.client import ControlClient
    from fakehub.domain.billing import BilledPeriod, BillingReport

#: The endpoint ``fake_hub.api`` uses: the Hub's own, routed to the fake in this process.
HUB_ENDPOINT = "https://huggingface.co"


class FakeHubHandle:
    """``fake_hub``: the fake behind ``huggingface_hub`` for the duration of one test.

    * ``endpoint`` is the fake's real base URL (what subprocesses get as ``HF_ENDPOINT``);
      in this process every Hub host is routed there as well.
    * ``user`` / ``token`` (write) / ``read_token``: the account requests are made as.
    * ``api``: an ``HfApi`` bound to the fake as that user.
    * Time and progression: ``now``, ``now_ns``, ``advance("10m")``, ``move_to(...)``,
      ``set_policy("space", "per-poll(3)")``, ``policies``; ``visit_space(repo_id)``.
    * What happened: ``requests`` (every Hub request this process made, in order, with the
      library that sent it), ``blocked`` (requests refused: not the Hub, or ``block_network``).
    * Everything else: ``control`` (the control API client, both modes) and ``hub`` (the
      :class:`~fakehub.FakeHub` itself, when the fake runs in this process).
    """

    def __init__(self, backend: Backend, router: Router, settings: Settings, hf_home: str) -> None:
        self._backend = backend
        self._router = router
        self._settings = settings
        self._apis: dict[tuple[str, str], Any] = {}
        self.endpoint = backend.endpoint
        self.user = DEFAULT_USER
        self.token = DEFAULT_WRITE_TOKEN
        self.read_token = DEFAULT_READ_TOKEN
        self._hf_home = hf_home
        #: the environment subprocesses inherit (already set in ``os.environ``)
        self.env: Mapping[str, str] = {
            "HF_ENDPOINT": self.endpoint,
            "HF_TOKEN": self.token,
            "HF_HOME": hf_home,
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_HUB_DISABLE_UPDATE_CHECK": "1",
        }

    @property
    def hf_home(self) -> Path:
        """This test's own ``HF_HOME`` (created by the client when it first writes there)."""
        return Path(self._hf_home)

    def __repr__(self) -> str:
        return f"<fake_hub {self.endpoint} as {self.user}>"

    # -- accounts -------------------------------------------------------------------------------

    def token_for(self, user: str, role: str = "write") -> str:
        """The token of ``user`` (the default user, or one from the ``users`` setting)."""
        if role not in ("write", "read"):
            raise ValueError(f"role: expected 'write' or 'read', got {role!r}")
        if user == self.user:
            return self.token if role == "write" else self.read_token
        names = [spec.name for spec in self._settings.extra_users]
        if user not in names:
            raise KeyError(
                f"no user {user!r} in this fake; add it with @pytest.mark.fake_hub(users=[...])"
            )
        spec = self._settings.extra_users[names.index(user)]
        for token in spec.tokens:
            if token.role == role:
                return token.value
        return token_of(user, role)

    def api_for(self, user: str, role: str = "write") -> Any:
        """An ``HfApi`` authenticated as ``user`` with its ``role`` token."""
        key = (user, role)
        if key not in self._apis:
            from huggingface_hub import HfApi

            self._apis[key] = HfApi(endpoint=HUB_ENDPOINT, token=self.token_for(user, role))
        return self._apis[key]

    @property
    def api(self) -> Any:
        """``HfApi(endpoint="https://huggingface.co", token=fake_hub.token)``, routed to the fake."""
        return self.api_for(self.user)

    # -- time and progression -------------------------------------------------------------------

    @property
    def now_ns(self) -> int:
        return self._backend.now_ns()

    @property
    def now(self) -> datetime:
        """The virtual now, as an aware UTC datetime."""
        return to_datetime(self.now_ns)

    def advance(self, duration: float | str) -> datetime:
        """Move virtual time forward (``90``, ``"90s"``, ``"10m"``, ``"2h"``); returns the new now."""
        return to_datetime(self._backend.advance(parse_duration(duration)))

    def move_to(self, when: datetime | str) -> datetime:
        """Jump to an instant (never backwards); ISO-8601 text or an aware datetime."""
        text = when.isoformat() if isinstance(when, datetime) else when
        return to_datetime(self._backend.move_to(parse_iso(text)))

    def set_policy(
        self, kind: str, policy: str | Policy, durations: Mapping[str, str | float] | None = None
    ) -> None:
        """Progression of ``"space"`` or ``"job"`` resources from now on."""
        if kind not in ("space", "job"):
            raise ValueError(f"unknown resource kind {kind!r}: expected 'space' or 'job'")
        if isinstance(policy, str):
            policy = Policy.parse(policy, durations)
        self._backend.set_policy(kind, policy)

    @property
    def policies(self) -> dict[str, str]:
        """``{"space": "timed", "job": "per-poll(2)"}``."""
        return self._backend.policies()

    def visit_space(self, repo_id: str) -> str:
        """A visitor opens the Space (wakes it if asleep); returns its stage."""
        return self._backend.visit_space(repo_id)

    # -- what happened --------------------------------------------------------------------------

    @property
    def requests(self) -> list[Exchange]:
        """Hub requests this process made (any library; ``.library`` says which), in order."""
        return list(self._router.exchanges)

    @property
    def blocked(self) -> list[str]:
        """``"METHOD url"`` of requests refused: huggingface_hub's to a host that is not the Hub,
        and, with ``block_network``, any library's (``"CONNECT ip:port"`` for raw sockets)."""
        return list(self._router.blocked)

    # -- billing --------------------------------------------------------------------------------

    def billing(self) -> BillingReport:
        """The bill so far: the same frozen :class:`~fakehub.domain.billing.BillingReport` as
        ``hub.billing()`` (``report.total_micro_usd``, ``report.cost_micro_usd(resource)``,
        ``report.resources``, ``report.running_paid``), whichever backend runs the fake."""
        return self.control.billing()

    def paid_hardware_running(self) -> tuple[BilledPeriod, ...]:
        """Spaces and Jobs still holding paid hardware (``()`` when nothing expensive is on)."""
        return self.control.paid_hardware_running()

    def assert_no_paid_hardware_running(self) -> None:
        """Fail the test if a Space or Job still holds paid hardware, naming each one."""
        running = self.paid_hardware_running()
        if running:
            lines = "\n".join(
                f"  {p.kind} {p.id} on {p.flavor} since {iso(p.start_ns)} "
                f"({p.cost_usd:.4f} USD so far)"
                for p in running
            )
            raise AssertionError(f"paid hardware is still running:\n{lines}")

    # -- everything else ------------------------------------------------------------------------

    @property
    def control(self) -> ControlClient:
        """The control API client: every ``/_fakehub/*`` route, in both modes."""
        return self._backend.control

    @property
    def hub(self) -> FakeHub:
        """The :class:`~fakehub.FakeHub` itself (only when the fake runs in this process)."""
        hub: FakeHub | None = getattr(self._backend, "hub", None)
        if hub is None:
            raise RuntimeError(
                "fake_hub.hub is only available when the fake runs in this process; with "
                "--fakehub-url use fake_hub.control (the control API) instead"
            )
        return hub
