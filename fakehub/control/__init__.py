"""The ``/_fakehub/*`` control API: everything a test can do that the Hub has no route for.

Users reach it with :class:`fakehub.ControlClient` (``fakehub.control.client``).
"""

__all__: list[str] = []
