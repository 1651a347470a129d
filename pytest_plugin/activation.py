"""One test's use of the fake: reset it, route the client, set the environment, then undo."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from fakehub.control.client import ControlError
from fakehub.routing import Router, Routing

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
        # Importing huggingface_hub (if the test has not) happens here, before HF_ENDPOINT
        # changes: its constants keep the user's own values for the rest of the session.
        self.routing = Routing(router).install()
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

        if hasattr(constants, "AGENT_HARNESSES_PATH"):
            self.monkeypatch.setattr(
                constants, "AGENT_HARNESSES_PATH", str(hf_home / ".agent_harnesses.json")
            )

    def close(self) -> None:
        try:
            self.routing.uninstall()
        finally:
            self.monkeypatch.undo()
