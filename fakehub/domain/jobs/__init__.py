"""Jobs and scheduled jobs."""

__all__: list[str] = []
