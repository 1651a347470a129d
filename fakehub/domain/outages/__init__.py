"""Flavor capacity outages, in one home: ``book.py`` holds the outages and the resources
waiting for them (the :class:`~fakehub.domain.context.HubContext` keeps one, which the Space
and Job services consult), ``service.py`` the operations behind ``hub.outages``."""

__all__: list[str] = []
