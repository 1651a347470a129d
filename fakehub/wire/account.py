"""``whoami-v2`` JSON, shaped like the Hub's answer."""

from __future__ import annotations

from typing import Any

from fakehub.domain.accounts import Identity
from fakehub.timefmt import iso


def whoami_json(identity: Identity) -> dict[str, Any]:
    user, token = identity.user, identity.token
    return {
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
                "roleInOrg": role,
                "canPay": org.can_pay,
            }
            for org, role in identity.orgs
        ],
        "auth": {
            "type": "access_token",
            "accessToken": {
                "displayName": token.display_name,
                "role": token.role,
                "createdAt": iso(identity.created_at),
            },
        },
    }
