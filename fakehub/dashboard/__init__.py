"""The dashboard: an HTML application, served from package files, that drives the control API.

See :mod:`fakehub.dashboard.routes` for how it is served, and ``static/`` for the page itself
(vanilla JavaScript modules and CSS: no CDN, no network, no build step).
"""

__all__: list[str] = []  # the routes live in fakehub.dashboard.routes
