"""pytest plugin: the ``fake_hub`` fixture (in progress)."""
