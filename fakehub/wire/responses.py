"""The Hub's JSON media type, for answers built outside the app's header middleware.

The Hub labels every JSON answer ``application/json; charset=utf-8``. Inside the app,
``fakehub.app.HubHeadersMiddleware`` relabels plain ``application/json`` whoever built the
response; this class is for the answers that never pass through it (errors from the outermost
crash guard, the replay and recording servers).
"""

from __future__ import annotations

from starlette.responses import JSONResponse

HUB_JSON_MEDIA_TYPE = "application/json; charset=utf-8"


class HubJSONResponse(JSONResponse):
    media_type = HUB_JSON_MEDIA_TYPE
