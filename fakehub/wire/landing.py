"""The facts ``GET /`` answers (as JSON, or as the page built from them)."""

from __future__ import annotations

from typing import Any

from fakehub import __version__
from fakehub.clock import ClockState
from fakehub.config import DEFAULT_WRITE_TOKEN
from fakehub.timefmt import iso


def landing_json(
    endpoint: str, clock: ClockState, *, readme: dict[str, str], control_api: str
) -> dict[str, Any]:
    return {
        "name": "fakehub",
        "version": __version__,
        "description": "An offline fake of the Hugging Face Hub's Spaces and Jobs APIs.",
        "endpoint": endpoint,
        # the default user's token (a scenario may name others: the serve banner lists them)
        "usage": f"export HF_ENDPOINT={endpoint} HF_TOKEN={DEFAULT_WRITE_TOKEN}",
        "clock": {"mode": clock.mode, "now": iso(clock.now_ns)},
        "controlApi": control_api,
        "health": "/_fakehub/health",
        "readme": readme,
    }
