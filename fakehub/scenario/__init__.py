"""Scenario files: a hub's starting state, scripted outcomes, faults and a timeline, in YAML.

Load one with :func:`fakehub.scenario.loader.load` and hand it to ``FakeHub(scenario=...)`` or
``hub.load_scenario(...)``.
"""

__all__: list[str] = []
