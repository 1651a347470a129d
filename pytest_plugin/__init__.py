"""The fakehub pytest plugin (entry point ``pytest11``): the ``fake_hub`` fixture."""

__all__: list[str] = []
