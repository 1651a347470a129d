"""Where the fake runs: in this process (one server per session or xdist worker), or elsewhere.

Both backends offer the same controls, so the handle does not care which one it has:
:class:`LocalBackend` calls the :class:`~fakehub.FakeHub` directly; :class:`RemoteBackend`
(``--fakehub-url``) goes through the control API.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fakehub import FakeHub, HubConfig, Policy
from fakehub.control.client import ControlClient
from fakehub.middleware import Changes
from fakehub.routing import AsgiDelivery
from fakehub.server import ServerThread
from fakehub.timefmt import iso

if TYPE_CHECKING:
    from fakehub.scenario.loader import LoadedScenario
from .settings import Settings


class Backend(Protocol):
    endpoint: str

    @property
    def control(self) -> ControlClient: ...

    def reset(self, settings: Settings, scenario: Path | None = None) -> None: ...
    def now_ns(self) -> int: ...
    def advance(self, seconds: float) -> int: ...
    def move_to(self, target_ns: int) -> int: ...
    def set_policy(self, kind: str, policy: Policy) -> None: ...
    def policies(self) -> dict[str, str]: ...
    def visit_space(self, repo_id: str) -> str: ...
    def drain_server_errors(self) -> list[Any]: ...
    def close(self) -> None: ...


class LocalBackend:
    """A loopback server in a thread of this process, over a hub the handle can touch directly.

    A reset is skipped when it would change nothing: the hub was reset with the same
    configuration (manual clock, no scenario), no request has reached the app since (the app
    counts them, socket and in-process alike) and nothing else touched it — every control
    below, and handing out :attr:`hub` itself, counts as a touch.
    """

    def __init__(self) -> None:
        self.server = ServerThread(FakeHub()).start()
        self._hub: FakeHub = self.server.hub
        self._changes: Changes = self.server.app.state.changes
        #: the configuration of the last reset, while the hub is still as that reset left it
        self._fresh: HubConfig | None = None
        self._fresh_at = -1  # requests the app had been given at that reset
        self.endpoint = self.server.url
        self._control: ControlClient | None = None
        #: the app called directly, for requests made in this process
        self.in_process = AsgiDelivery(self.server.app, (self.server.host, self.server.port))

    @property
    def hub(self) -> FakeHub:
        """The hub itself: whoever holds it may change anything, so the next reset is real."""
        self._fresh = None
        return self._hub

    @property
    def control(self) -> ControlClient:
        if self._control is None:
            self._control = ControlClient(self.endpoint)
        return self._control

    def reset(self, settings: Settings, scenario: Path | None = None) -> None:
        self.server.app.state.server_errors.clear()
        if scenario is None and self._still_fresh(settings.hub_config()):
            return
        self._fresh = None
        from fakehub.scenario.loader import ScenarioError, load

        try:
            loaded = load(scenario) if scenario is not None else None
            self._hub.scenario = _with_policies(loaded, settings) if loaded else None
            self._hub.reset(settings.hub_config())
        except ScenarioError as exc:
            self._hub.scenario = None
            self._hub.reset(HubConfig())
            raise ValueError(f"scenario: {exc}") from None
        self.server.app.state.server_errors.clear()
        changes = self._changes
        arrived = changes.arrived
        if scenario is None and changes.done == arrived and self._hub.config.clock_mode == "manual":
            self._fresh, self._fresh_at = self._hub.base_config, arrived

    def _still_fresh(self, config: HubConfig) -> bool:
        fresh = self._fresh
        if fresh is None or not (config is fresh or config == fresh):
            return False
        changes = self._changes
        return changes.arrived == self._fresh_at and changes.done == self._fresh_at

    def now_ns(self) -> int:
        return self.hub.now()

    def advance(self, seconds: float) -> int:
        return self.hub.advance(seconds)

    def move_to(self, target_ns: int) -> int:
        return self.hub.move_to(target_ns)

    def set_policy(self, kind: str, policy: Policy) -> None:
        self.hub.set_policy(kind, policy)

    def policies(self) -> dict[str, str]:
        current = self.hub.policies()
        return {"space": current.space.describe(), "job": current.job.describe()}

    def visit_space(self, repo_id: str) -> str:
        return str(self.hub.spaces.visit(repo_id))

    def drain_server_errors(self) -> list[Any]:
        errors: list[Any] = self.server.app.state.server_errors
        if not errors:
            return []
        drained = list(errors)
        del errors[: len(drained)]
        return drained

    def close(self) -> None:
        if self._control is not None:
            self._control.close()
        self.server.stop()


def _with_policies(loaded: LoadedScenario, settings: Settings) -> LoadedScenario:
    """The scenario with the test's own policies (marker, option, fixture) in place of its own."""
    from fakehub.scenario.loader import LoadedScenario
    from fakehub.scenario.model import PolicyModel

    policies = dict(loaded.scenario.policies)
    for kind in ("space", "job"):
        policy = settings.policy(kind)
        if policy is not None:
            policies[kind] = PolicyModel(policy=policy.describe(), durations=dict(policy.durations))
    scenario = loaded.scenario.model_copy(update={"policies": policies})
    return LoadedScenario(scenario, loaded.source)


class RemoteBackend:
    """A fake someone else started (``fakehub serve``), driven through its control API.

    The control API resets to the server's own starting state; policies and the clock are then
    applied on top. Settings it has no route for (seed, extra users) are refused, not ignored.
    """

    def __init__(self, url: str, control_token: str | None = None) -> None:
        self.endpoint = url.rstrip("/")
        # no token given: ControlClient reads $FAKEHUB_CONTROL_TOKEN
        self.control = ControlClient(self.endpoint, token=control_token)
        self.control.health()
        self._loaded_scenario = False

    def reset(self, settings: Settings, scenario: Path | None = None) -> None:
        unsupported = sorted({"seed", "users"} & set(settings.values))
        if unsupported:
            raise ValueError(
                f"--fakehub-url: the control API cannot set {unsupported} on a running server; "
                "start it with them (fakehub serve --seed ...) or drop --fakehub-url"
            )
        if scenario is not None:
            self.control.request("POST", "/_fakehub/scenario", {"yaml": scenario.read_text()})
            self._loaded_scenario = True
        elif self._loaded_scenario:
            # A scenario an earlier test loaded must not leak into this one.
            self.control.request("DELETE", "/_fakehub/scenario")
            self._loaded_scenario = False
        self.control.reset()
        for kind in ("space", "job"):
            policy = settings.policy(kind)
            if policy is not None:
                self.set_policy(kind, policy)
        start = settings.start_ns()
        if start is not None:
            self.move_to(start)
        clock = settings.values.get("clock")
        if clock is not None:
            self.control.set_clock_mode(clock, settings.values.get("clock_speed"))

    def now_ns(self) -> int:
        return int(self.control.clock()["nowNs"])

    def advance(self, seconds: float) -> int:
        return int(self.control.advance(seconds)["nowNs"])

    def move_to(self, target_ns: int) -> int:
        return int(self.control.move_to(iso(target_ns))["nowNs"])

    def set_policy(self, kind: str, policy: Policy) -> None:
        durations = {key: float(value) for key, value in policy.durations.items()}
        self.control.set_policy(kind, policy.describe(), durations or None)

    def policies(self) -> dict[str, str]:
        answer = self.control.policies()
        return {kind: answer[kind]["policy"] for kind in ("space", "job")}

    def visit_space(self, repo_id: str) -> str:
        return str(self.control.visit_space(repo_id)["stage"])

    def drain_server_errors(self) -> list[Any]:
        # Tracebacks stay in the other process; 500s still show up through the request log.
        return []

    def close(self) -> None:
        self.control.close()
