"""The ASGI middlewares around the routes, each built from the narrow callables it needs.

:mod:`.edge` is the one layer every request passes first: it authenticates the caller once
(:mod:`.auth`) and puts it in the scope, stamps the virtual ``Date`` and ``X-Request-Id``
(:mod:`.headers`), fills the request log (:mod:`.requestlog`), counts writes for the event
stream (:mod:`.changes`) and turns a bug into a 500 (:mod:`.crash`). :mod:`.gate` sends a
request through the control token check (:mod:`.control`), Space app hosts (:mod:`.apphost`)
and fault rules (:mod:`.faults`) only when one of them has something to do. :mod:`.journal`
writes accepted requests down for ``serve --state``. :func:`fakehub.app.create_app` stacks them.
"""

from fakehub.middleware.apphost import AppHosts
from fakehub.middleware.auth import Caller
from fakehub.middleware.changes import Changes
from fakehub.middleware.control import ControlGuard
from fakehub.middleware.crash import Crashes, CrashGuard, ServerError
from fakehub.middleware.edge import HubEdge
from fakehub.middleware.faults import FaultMiddleware
from fakehub.middleware.gate import Gate

__all__ = [
    "AppHosts",
    "Caller",
    "Changes",
    "ControlGuard",
    "CrashGuard",
    "Crashes",
    "FaultMiddleware",
    "Gate",
    "HubEdge",
    "ServerError",
]
