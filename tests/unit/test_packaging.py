"""What the wheel installs: every package of the repository, and no clash-prone top-level name."""

from __future__ import annotations

from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]


def _setuptools() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, object] = config["tool"]["setuptools"]
    return table


def test_every_package_of_the_repository_is_in_the_wheel() -> None:
    faces = sorted((ROOT / "fakehub").rglob("__init__.py"))
    packages = [".".join(face.relative_to(ROOT).parent.parts) for face in faces]
    listed = _setuptools()["packages"]
    assert isinstance(listed, list)
    assert sorted(p for p in listed if p.startswith("fakehub.") or p == "fakehub") == packages


def test_the_plugin_installs_under_a_name_only_fakehub_would_use() -> None:
    assert _setuptools()["package-dir"] == {"fakehub_pytest_plugin": "pytest_plugin"}
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["entry-points"]["pytest11"] == {
        "fakehub": "fakehub_pytest_plugin.plugin"
    }


def test_the_plugin_modules_import_each_other_relatively() -> None:
    for module in sorted((ROOT / "pytest_plugin").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        assert "from pytest_plugin" not in text and "import pytest_plugin" not in text, module
