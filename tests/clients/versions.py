"""The client versions fakehub is judged by, and the virtualenvs that hold them.

The newest client (2.4.0) is installed in the test environment itself. Older ones are installed
with uv into ``.venvs/hf-<version>`` at the project root on first use; a file lock makes that
safe under xdist, and uv's cache makes a rebuild on a clean checkout take seconds.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import tomllib
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[2]
VENVS = ROOT / ".venvs"


@dataclass(frozen=True)
class ClientVersion:
    label: str  # what tests and ids call it
    requirement: str
    #: True for the version installed in the test environment itself
    in_test_env: bool = False

    @property
    def major(self) -> int:
        return int(self.label.split(".")[0])


V0_20 = ClientVersion("0.20.3", "huggingface_hub==0.20.3")
V0_36 = ClientVersion("0.36.2", "huggingface_hub==0.36.2")
V1_28 = ClientVersion("1.28.0", "huggingface_hub==1.28.0")
V2_4 = ClientVersion("2.4.0", "huggingface_hub==2.4.0", in_test_env=True)

ALL = (V0_20, V0_36, V1_28, V2_4)
BY_LABEL = {v.label: v for v in ALL}


def python_for(version: ClientVersion) -> Path:
    """The interpreter that has ``version`` installed, building its venv if needed."""
    if version.in_test_env:
        return Path(sys.executable)
    venv = VENVS / f"hf-{version.label}"
    python = venv / "bin" / "python"
    marker = venv / ".fakehub-ready"
    if marker.exists():
        return python
    VENVS.mkdir(exist_ok=True)
    with FileLock(str(VENVS / f"hf-{version.label}.lock")):
        if not marker.exists():
            _build(venv, version)
            marker.write_text(version.requirement)
    return python


def _build(venv: Path, version: ClientVersion, *extra: str) -> None:
    uv = [sys.executable, "-m", "uv"]
    env = {**os.environ, "UV_NO_PROGRESS": "1"}
    subprocess.run(
        [*uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
        check=True,
        env=env,
    )
    subprocess.run(
        [
            *uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            version.requirement,
            *extra,
        ],
        check=True,
        env=env,
    )


def cli_for(version: ClientVersion) -> Path:
    """The client's command-line entry point in that environment."""
    bindir = python_for(version).parent
    name = "hf" if (bindir / "hf").exists() else "huggingface-cli"
    return bindir / name


#: What a plugin venv needs besides fakehub itself (installed editable) and the client.
PLUGIN_EXTRAS = ("pytest>=8", "pytest-xdist>=3.5")


def _install_new_dependencies(venv: Path) -> None:
    """Install fakehub dependencies added since the venv was built (its editable install does
    not pick them up), without rebuilding it."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies: list[str] = tomllib.load(handle)["project"]["dependencies"]
    stamp = venv / ".fakehub-dependencies"
    wanted = "\n".join(dependencies)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    with FileLock(str(venv) + ".deps.lock"):
        if stamp.exists() and stamp.read_text() == wanted:
            return
        python = str(venv / "bin" / "python")
        env = {**os.environ, "UV_NO_PROGRESS": "1"}
        command = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", python]
        subprocess.run([*command, *dependencies], check=True, env=env)
        stamp.write_text(wanted)


def plugin_python_for(version: ClientVersion) -> Path:
    """An interpreter with ``version``, pytest and fakehub (editable), to run the plugin under.

    Kept apart from :func:`python_for`'s venvs, which hold only the client so that contract
    tests see exactly what a user of that version has. Built on first use, under a file lock.
    """
    if version.in_test_env:
        return Path(sys.executable)
    # One per checkout: fakehub is installed editable from ROOT, and ``.venvs`` may be shared
    # by several checkouts (worktrees), which must each run their own code.
    name = f"plugin-hf-{version.label}-{ROOT.name}-{hashlib.sha1(bytes(ROOT)).hexdigest()[:8]}"
    venv = VENVS / name
    python = venv / "bin" / "python"
    marker = venv / ".fakehub-ready"
    wanted = "\n".join([version.requirement, *PLUGIN_EXTRAS, str(ROOT)])
    if marker.exists() and marker.read_text() == wanted:
        _install_new_dependencies(venv)
        return python
    VENVS.mkdir(exist_ok=True)
    with FileLock(str(VENVS / f"{name}.lock")):
        if not (marker.exists() and marker.read_text() == wanted):
            _build(venv, version, "-e", str(ROOT), *PLUGIN_EXTRAS)
            marker.write_text(wanted)
        _install_new_dependencies(venv)
    return python
