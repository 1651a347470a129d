"""The wire: request parsing, response serialisation, and the one error-to-HTTP mapping."""

__all__: list[str] = []
