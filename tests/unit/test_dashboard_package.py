"""Every file of the dashboard ships in the wheel (a package-data glob in pyproject covers it)."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_dashboard_file_is_package_data() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    section = text[text.index("[tool.setuptools.package-data]") :].split("\n[", 1)[0]
    globs = re.findall(r'"([^"]+)"', section.split("fakehub = [", 1)[1].split("]", 1)[0])
    package = ROOT / "fakehub"
    static = [p for p in (package / "dashboard" / "static").rglob("*") if p.is_file()]
    assert static
    missing = [
        str(p.relative_to(package))
        for p in static
        if not any(fnmatch.fnmatch(str(p.relative_to(package)), g) for g in globs)
    ]
    assert missing == []
