"""Storage buckets: non-versioned, Xet-backed file stores (``hf buckets``, Jobs' artifacts)."""

__all__: list[str] = []
