"""One test's use of the fake: reset it, route the client, set the environment, then undo."""

from __future__ import annotations

import itertools
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


def settings_for(request: pytest.FixtureRequest, fixture_config: Any) -> Settings:
    config = request.config
    settings = Settings()
    if fixture_config:
        settings = settings.merged("fake_hub_config fixture", dict(fixture_config))
    options = {
        "space_policy": config.getoption("fakehub_space_policy"),
        "job_policy": config.getoption("fakehub_job_policy"),
        "seed": config.getoption("fakehub_seed"),
        "block_network": config.getoption("fakehub_block_network"),
    }
    settings = settings.merged(
        "command line", {key: value for key, value in options.items() if value is not None}
    )
    return from_marks(settings, request.node.iter_markers("fake_hub"))


class Activation:
    """Everything ``fake_hub`` changes for one test, undone by :meth:`close` in reverse."""

    def __init__(
        self, backend: Backend, settings: Settings, homes: Path, scenario: Path | None = None
    ) -> None:
        self.monkeypatch = pytest.MonkeyPatch()
        backend.reset(settings, scenario)
        router = Router(
            backend.endpoint, owner="the fake_hub fixture", allow_hosts=settings.allow_hosts
        )
        self.interception = Interception(
            router, _delivery(backend, router), block_network=settings.block_network
        ).install()
        try:
            # Importing huggingface_hub (if the test has not) happens here, before HF_ENDPOINT
            # changes: its constants keep the user's own values for the rest of the session.
            self.routing = Routing(router).install()
        except BaseException:
            self.interception.uninstall()
            raise
        try:
            # Not created here: the client makes it when it first writes there.
            hf_home = homes / str(next(_homes))
            self.handle = FakeHubHandle(backend, router, settings, hf_home)
            self._set_environment(hf_home)
        except BaseException:
            self.close()
            raise
        self.watch = Watch(router, backend, remote=isinstance(backend, RemoteBackend))

    def _set_environment(self, hf_home: Path) -> None:
        for name in _CLEARED:
            self.monkeypatch.delenv(name, raising=False)
        for name, value in self.handle.env.items():
            self.monkeypatch.setenv(name, value)
        # 1.19+ cache the agent-harness registry under HF_HOME, read at import: keep that write
        # in the private home instead of the user's.
        import huggingface_hub.constants as constants

        # hf_xet's own HTTP stack cannot be routed in-process (it fetches Xet tokens itself
        # from the client's endpoint): in-process clients use the git-lfs path, which is
        # routed. Subprocesses get HF_ENDPOINT and use Xet for real.
        if hasattr(constants, "HF_HUB_DISABLE_XET"):
            self.monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        if hasattr(constants, "AGENT_HARNESSES_PATH"):
            self.monkeypatch.setattr(
                constants, "AGENT_HARNESSES_PATH", str(hf_home / ".agent_harnesses.json")
            )

    def close(self) -> None:
        try:
            self.routing.uninstall()
        finally:
            self.interception.uninstall()
            self.monkeypatch.undo()


def _delivery(backend: Backend, router: Router) -> Delivery:
    """In this process, the fake's app is called directly; elsewhere, through its socket."""
    if isinstance(backend, LocalBackend):
        return backend.in_process
    return SocketDelivery(router)
