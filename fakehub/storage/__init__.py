"""Where uploaded bytes live: a content-addressed, deduplicated object store (no HTTP here).

:mod:`fakehub.storage.blobs` keeps objects (LFS objects by sha256, Xet xorbs by their merkle
hash) in memory or in a directory, under a total cap; :mod:`fakehub.storage.xet` holds the Xet
formats (hashing, xorbs, shards) and the CAS index built from them.
"""

__all__: list[str] = []
