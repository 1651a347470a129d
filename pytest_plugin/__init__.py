"""The fakehub pytest plugin (entry point ``pytest11``)."""
