"""The wire: request parsing, response serialisation, and the one error-to-HTTP mapping."""
