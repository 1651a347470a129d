"""The ASGI middlewares around the routes, each built from the narrow callables it needs.

:mod:`.apphost` answers Space app hosts (``<owner>-<name>.hf.space``); :mod:`.auth`
authenticates the caller once and puts it in the scope; :mod:`.requestlog` fills the request
log; :mod:`.headers` stamps the virtual ``Date`` and ``X-Request-Id``; :mod:`.control` checks
the control token; :mod:`.crash` turns a bug into a 500; :mod:`.faults` applies fault rules.
:func:`fakehub.app.create_app`
stacks them.
"""

from fakehub.middleware.apphost import AppHosts
from fakehub.middleware.auth import AuthMiddleware, Caller
from fakehub.middleware.control import ControlGuard
from fakehub.middleware.crash import CrashGuard, ServerError
from fakehub.middleware.faults import FaultMiddleware
from fakehub.middleware.headers import HubHeadersMiddleware
from fakehub.middleware.requestlog import RequestLogMiddleware

__all__ = [
    "AppHosts",
    "AuthMiddleware",
    "Caller",
    "ControlGuard",
    "CrashGuard",
    "FaultMiddleware",
    "HubHeadersMiddleware",
    "RequestLogMiddleware",
    "ServerError",
]
