"""The Space runtime object (spaces.md §3.6): what ``SpaceRuntime(r.json())`` parses.

``hardware`` is always an object, never null: 0.20.3, 0.36 and 1.28 crash on a null.
"""

from __future__ import annotations

from typing import Any

from fakehub.domain.spaces.records import Space


def runtime_json(space: Space) -> dict[str, Any]:
    body: dict[str, Any] = {
        "stage": space.stage.value,
        "hardware": {"current": space.current_hardware, "requested": space.requested_hardware},
        "storage": space.storage,
        "replicas": {"requested": 1},
        "devMode": space.dev_mode,
        "domains": [{"domain": f"{space.subdomain}.hf.space", "stage": "READY"}],
    }
    if space.sdk != "static":
        body["gcTimeout"] = space.sleep_time
    if space.volumes:
        body["volumes"] = [
            {
                "type": v.type,
                "source": v.source,
                "mountPath": v.mount_path,
                **({"revision": v.revision} if v.revision is not None else {}),
                **({"readOnly": v.read_only} if v.read_only is not None else {}),
                **({"path": v.path} if v.path is not None else {}),
            }
            for v in space.volumes
        ]
    if space.error_message:
        body["errorMessage"] = space.error_message
    return body
