"""Every shipped scenario loads through ``@pytest.mark.fake_hub(scenario=...)``."""

from __future__ import annotations

import pytest

from fakehub.scenario.loader import shipped_scenarios
from tests.plugin.conftest import Inner

PER_SCENARIO = """
import pytest

{tests}
"""

ONE = """
@pytest.mark.fake_hub(scenario="{name}")
def test_{slug}(fake_hub):
    assert fake_hub.hub.scenario.scenario.name == "{name}"
"""


@pytest.mark.clients("2.4.0")
def test_every_shipped_scenario_loads_in_the_fixture(
    pytester: pytest.Pytester, inner: Inner
) -> None:
    names = [name for name, _ in shipped_scenarios()]
    tests = "".join(ONE.format(name=n, slug=n.replace("-", "_")) for n in names)
    pytester.makepyfile(test_user=PER_SCENARIO.format(tests=tests))
    result = inner("-q")
    result.assert_outcomes(passed=len(names))
