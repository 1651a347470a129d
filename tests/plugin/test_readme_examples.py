"""Every ``fake_hub`` example in the README, run exactly as the README writes it.

The blocks are joined into one test module (later examples reuse the code under test of earlier
ones, as a reader would) and run under the plugin. Only the replay example is left out: it needs
a cassette recorded beforehand (tests/recording covers it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.plugin.conftest import Inner

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
HEADER = "import time\n\nimport pytest\nfrom huggingface_hub import HfApi\n\n"


def fixture_examples() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    return [b for b in blocks if "fake_hub" in b and "def test_" in b and "replay=" not in b]


@pytest.mark.clients("2.4.0")
def test_the_readme_examples_pass(pytester: pytest.Pytester, inner: Inner) -> None:
    examples = fixture_examples()
    tests = sum(len(re.findall(r"^def test_", b, flags=re.MULTILINE)) for b in examples)
    assert tests >= 7 and any("fake_hub.billing()" in b for b in examples)
    pytester.makepyfile(test_readme=HEADER + "\n\n".join(examples))
    inner("-v").assert_outcomes(passed=tests)
