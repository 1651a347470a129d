"""The README's ``fake_hub`` examples outside "Examples", run exactly as the README writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.plugin.conftest import Inner

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _fixture_examples() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    return [b for b in blocks if "fake_hub.billing()" in b]


@pytest.mark.clients("2.4.0")
def test_the_billing_example_passes(pytester: pytest.Pytester, inner: Inner) -> None:
    (example,) = _fixture_examples()
    pytester.makepyfile(test_readme_billing="import pytest\n\n" + example)
    inner("-v").assert_outcomes(passed=1)
