"""Spaces: repositories with files, and the runtime that builds and serves them."""

__all__: list[str] = []
