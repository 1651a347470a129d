"""The Xet protocol's formats and content-addressed store (hub-docs ``docs/xet/``).

``hashes`` (BLAKE3 keyed chunk / xorb / file / verification hashes and their string form),
``xorb`` (chunk framing and compression), ``shard`` (the MDB shard format), ``cas`` (what the
fake's CAS server knows: xorbs, their chunks, files and their reconstructions).
"""

__all__: list[str] = []
