"""``whoami-v2`` and the side routes every client touches (agent harnesses)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakehub.api.request import hub_of, require_actor
from fakehub.timefmt import iso


async def whoami(request: Request) -> Response:
    actor = require_actor(request)
    hub = hub_of(request)
    accounts = hub.ctx.accounts
    user = actor.user
    token = next(
        t for t in accounts.tokens.values() if t.user == user.name and t.role == actor.role
    )
    body = {
        "type": "user",
        "id": user.id,
        "name": user.name,
        "fullname": user.fullname,
        "email": user.email,
        "emailVerified": True,
        "canPay": user.can_pay,
        "isPro": user.is_pro,
        "periodEnd": None,
        "avatarUrl": user.avatar_url,
        "orgs": [
            {
                "type": "org",
                "id": org.id,
                "name": org.name,
                "fullname": org.fullname,
                "avatarUrl": f"/avatars/{org.name}.svg",
                "roleInOrg": org.members[user.name],
                "canPay": org.can_pay,
            }
            for org in accounts.orgs_of(user.name)
        ],
        "auth": {
            "type": "access_token",
            "accessToken": {
                "displayName": token.display_name,
                "role": token.role,
                "createdAt": iso(hub.config.start_ns),
            },
        },
    }
    return JSONResponse(body)


async def agent_harnesses(request: Request) -> Response:
    # 1.19+ fetch this on their first request to build the user agent; an empty registry means
    # "no agent detected", which is what a test run is.
    return JSONResponse({"standardEnvVars": ["AI_AGENT", "AGENT"], "harnesses": {}})


routes = [
    Route("/api/whoami-v2", whoami, methods=["GET"]),
    Route("/api/agent-harnesses", agent_harnesses, methods=["GET"]),
]
