"""Starlette routes for the Hub surface: parse, call one hub operation, serialise.

Nothing here is meant to be imported by users: :func:`fakehub.app.create_app` mounts the routes.
"""

__all__: list[str] = []
