"""What a fault did to one request: the record the fault middleware leaves in the ASGI scope for
the request log, under :data:`SCOPE_KEY`."""

from __future__ import annotations

from dataclasses import dataclass

from fakehub.faults.rules import CONTROL_PREFIX

SCOPE_KEY = "fakehub.fault"


@dataclass
class FaultNote:
    """What a fault did to one request (read by the request log)."""

    id: str
    when: str
    latency: float = 0.0
    dropped: bool = False
    #: the status the route itself answered with, when a ``after`` fault replaced it
    route_status: int | None = None


def is_control(path: str) -> bool:
    """Whether ``path`` is the control API (``/_fakehub/*``), which faults and the log skip."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")
