"""One test's use of the fake: reset it, route the client, set the environment, then undo."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from fakehub.control.client import ControlError
from fakehub.routing import Interception, Router, Routing, SocketDelivery
from fakehub.routing.delivery import Delivery

from .backend import Backend, LocalBackend, RemoteBackend
from .diagnostics import Watch
from .handle import FakeHubHandle
from .settings import Settings, from_marks

#: Variables that would take a subprocess's client elsewhere or log it in as someone else.
_CLEARED = ("HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE", "HUGGINGFACE_CO_STAGING", "HF_TOKEN_PATH")

_homes = itertools.count(1)


def start_backend(url: str | None, control_token: str | None = None) -> Backend:
    if not url:
        return LocalBackend()
    try:
        return RemoteBackend(url, control_token)
    except OSError as exc:
        raise pytest.UsageError(
            f"--fakehub-url {url}: no fakehub server answers there ({exc})"
        ) from exc
    except ControlError as exc:
        if exc.status != 401:
            raise
        raise pytest.UsageError(
            f"--fakehub-url {url}: the server wants its control token ({exc.message}); pass "
            "--fakehub-control-token TOKEN or set $FAKEHUB_CONTROL_TOKEN"
        ) from exc


_OPTIONS: pytest.StashKey[Settings] = pytest.StashKey()


def settings_for(item: pytest.Item, fixture_config: Any) -> Settings:
    config = item.config
    options = config.stash.get(_OPTIONS, None)
    if options is None:
        # The command line does not change during a session: read and check it once.
        options = config.stash[_OPTIONS] = Settings().merged("command line", _options(config))
    marks = list(item.iter_markers("fake_hub"))
    if not fixture_config and not marks:
        return options  # the same Settings every time: its HubConfig is worked out once
    settings = Settings()
    if fixture_config:
        settings = settings.merged("fake_hub_config fixture", dict(fixture_config))
    settings = settings.merged("command line", options.values)
    return from_marks(settings, marks)


def _options(config: pytest.Config) -> dict[str, Any]:
    options = {
        "space_policy": config.getoption("fakehub_space_policy"),
        "job_policy": config.getoption("fakehub_job_policy"),
        "seed": config.getoption("fakehub_seed"),
        "block_network": config.getoption("fakehub_block_network"),
    }
    return {key: value for key, value in options.items() if value is not None}


class Session:
    """What the fixture keeps for a whole session (or xdist worker): the fake, where per-test
    HF_HOMEs go, and the routing it installs for each test (built once, pointed at each test's
    router: installing it then costs a few attribute swaps)."""

    def __init__(self, backend: Backend, homes: Path, config: pytest.Config) -> None:
        self.backend = backend
        self.homes = homes
        #: pytest's configuration (where the plugin notes the test being set up)
        self.config = config
        self._interception: Interception | None = None
        self._routing: Routing | None = None

    def interception(self, router: Router, delivery: Delivery, block: bool) -> Interception:
        if self._interception is None:
            self._interception = Interception(router, delivery, block_network=block)
            return self._interception
        return self._interception.reuse(router, delivery, block_network=block)

    def routing(self, router: Router) -> Routing:
        if self._routing is None:
            self._routing = Routing(router)
            return self._routing
        return self._routing.reuse(router)


class Activation:
    """Everything ``fake_hub`` changes for one test, undone by :meth:`close` in reverse."""

    def __init__(
        self,
        session: Session,
        backend: Backend,
        settings: Settings,
        scenario: Path | None = None,
    ) -> None:
        self.environment = Environment()
        backend.reset(settings, scenario)
        router = Router(
            backend.endpoint, owner="the fake_hub fixture", allow_hosts=settings.allow_hosts
        )
        delivery = _delivery(backend, router)
        self.interception = session.interception(router, delivery, settings.block_network)
        self.interception.install()
        try:
            # Importing huggingface_hub (if the test has not) happens here, before HF_ENDPOINT
            # changes: its constants keep the user's own values for the rest of the session.
            self.routing = session.routing(router).install()
        except BaseException:
            self.interception.uninstall()
            raise
        try:
            # Not created here: the client makes it when it first writes there.
            hf_home = f"{session.homes}{os.sep}{next(_homes)}"
            self.handle = FakeHubHandle(backend, router, settings, hf_home)
            self._set_environment(hf_home)
        except BaseException:
            self.close()
            raise
        self.watch = Watch(router, backend, remote=isinstance(backend, RemoteBackend))

    def _set_environment(self, hf_home: str) -> None:
        environment = self.environment
        for name in _CLEARED:
            environment.delenv(name)
        for name, value in self.handle.env.items():
            environment.setenv(name, value)
        # 1.19+ cache the agent-harness registry under HF_HOME, read at import: keep that write
        # in the private home instead of the user's.
        constants = _hf_constants()
        # hf_xet's own HTTP stack cannot be routed in-process (it fetches Xet tokens itself
        # from the client's endpoint): in-process clients use the git-lfs path, which is
        # routed. Subprocesses get HF_ENDPOINT and use Xet for real.
        if hasattr(constants, "HF_HUB_DISABLE_XET"):
            environment.setattr(constants, "HF_HUB_DISABLE_XET", True)
        if hasattr(constants, "AGENT_HARNESSES_PATH"):
            environment.setattr(
                constants, "AGENT_HARNESSES_PATH", f"{hf_home}{os.sep}.agent_harnesses.json"
            )

    def close(self) -> None:
        try:
            self.routing.uninstall()
        finally:
            self.interception.uninstall()
            self.environment.undo()


class Environment:
    """Variables and attributes set for one test, put back as they were (``MonkeyPatch``'s
    semantics, for the few the fixture sets, without its bookkeeping)."""

    def __init__(self) -> None:
        self._variables: dict[str, str | None] = {}
        self._attributes: list[tuple[Any, str, Any]] = []

    # os.environ is a Python mapping that encodes every key and raises inside for a missing
    # one: each variable is read once, and put back with one write or delete.

    def setenv(self, name: str, value: str) -> None:
        environ = os.environ
        if name not in self._variables:
            self._variables[name] = environ.get(name)
        environ[name] = value

    def delenv(self, name: str) -> None:
        """Remove ``name`` if it is set (and set it back at :meth:`undo`)."""
        environ = os.environ
        value = environ.get(name)
        if value is not None:
            self._variables.setdefault(name, value)
            del environ[name]

    def setattr(self, owner: Any, name: str, value: Any) -> None:
        self._attributes.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def undo(self) -> None:
        while self._attributes:
            owner, name, value = self._attributes.pop()
            setattr(owner, name, value)
        environ = os.environ
        for name, previous in self._variables.items():
            if previous is not None:
                environ[name] = previous
                continue
            try:  # noqa: SIM105 (one dict operation; contextlib.suppress costs more than it)
                del environ[name]
            except KeyError:  # the test removed it itself
                pass
        self._variables.clear()


def _hf_constants() -> Any:
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is None:
        import huggingface_hub.constants as constants
    return constants


def _delivery(backend: Backend, router: Router) -> Delivery:
    """In this process, the fake's app is called directly; elsewhere, through its socket."""
    if isinstance(backend, LocalBackend):
        return backend.in_process
    return SocketDelivery(router)
