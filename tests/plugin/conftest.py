"""Plugin tests: run a user's test suite under each client version and read its outcome.

``inner`` runs ``python -m pytest`` in ``pytester``'s directory with the interpreter of one
client version (a venv with that ``huggingface_hub``, pytest and fakehub installed editable;
2.4.0 is this test environment itself), exactly as a user's ``pytest`` would run.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from tests.clients.versions import ALL, BY_LABEL, ClientVersion, plugin_python_for

Inner = Callable[..., pytest.RunResult]


def pytest_configure(config: pytest.Config) -> None:
    # pytester is a pytest plugin shipped with pytest but not enabled by default; only the root
    # conftest could list it in pytest_plugins.
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "client" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("clients")
    labels = list(marker.args) if marker else [v.label for v in ALL]
    metafunc.parametrize(
        "client", [BY_LABEL[label] for label in labels], ids=[f"hf{x}" for x in labels]
    )


@pytest.fixture
def inner(
    pytester: pytest.Pytester, client: ClientVersion, monkeypatch: pytest.MonkeyPatch
) -> Inner:
    """``inner("-k", "x")``: run pytest on pytester's files under ``client``; a ``RunResult``."""
    python = plugin_python_for(client)
    # The user's suite must not inherit this run's own client settings or xdist identity.
    for name in list(os.environ):
        if name.startswith(("HF_", "HUGGINGFACE_", "PYTEST_XDIST", "PYTEST_ADDOPTS")):
            monkeypatch.delenv(name)

    def run(*args: str, timeout: float = 120) -> pytest.RunResult:
        return pytester.run(
            str(python), "-m", "pytest", "-p", "no:cacheprovider", *args, timeout=timeout
        )

    return run
