"""One module per HTTP library: how its requests are intercepted (see ``fakehub.routing.intercept``)."""

__all__: list[str] = []
