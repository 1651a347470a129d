"""fakehub: an offline, stateful fake of the Hugging Face Hub's Spaces and Jobs APIs."""

from __future__ import annotations

__version__ = "0.1.0.dev0"

from fakehub.config import HubConfig
from fakehub.hub import FakeHub
from fakehub.machines.policy import Policy

__all__ = ["FakeHub", "HubConfig", "Policy", "__version__"]
