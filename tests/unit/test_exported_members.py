"""The public surface: ``fakehub.__all__`` is exactly what the package offers (httpx's model)."""

from __future__ import annotations

import importlib
import types
from pathlib import Path

import fakehub

PUBLIC = ["ControlClient", "FakeHub", "HubConfig", "JobOutcome", "Policy", "__version__"]


def test_all_is_the_curated_list() -> None:
    assert fakehub.__all__ == PUBLIC


def test_all_names_every_public_member_and_nothing_else() -> None:
    members = [
        name
        for name, value in vars(fakehub).items()
        if not isinstance(value, types.ModuleType)  # subpackages appear once imported
        and (not name.startswith("_") or name == "__version__")
        and name != "annotations"
    ]
    assert sorted(fakehub.__all__, key=str.casefold) == sorted(members, key=str.casefold)


def test_every_package_face_declares_all_and_every_name_resolves() -> None:
    root = Path(fakehub.__file__).resolve().parents[1]
    for face in sorted([*root.glob("fakehub/**/__init__.py"), root / "pytest_plugin/__init__.py"]):
        name = ".".join(face.relative_to(root).parent.parts).replace(
            "pytest_plugin", "fakehub_pytest_plugin"
        )
        module = importlib.import_module(name)
        assert isinstance(getattr(module, "__all__", None), list), f"{name} has no __all__"
        for exported in module.__all__:
            assert hasattr(module, exported), f"{name}.__all__ names {exported!r}, not defined"
