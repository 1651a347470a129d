"""Starlette routes for the Hub surface: parse, call one hub operation, serialise."""
