"""``fakehub serve --state PATH``: the hub's state in a SQLite file that survives restarts."""

from fakehub.store.durable import DurableState
from fakehub.store.file import FORMAT, StateFile, StateFileError

__all__ = ["FORMAT", "DurableState", "StateFile", "StateFileError"]
