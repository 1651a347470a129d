"""fakehub: an offline, stateful fake of the Hugging Face Hub's Spaces and Jobs APIs.

What is imported from here is the public surface; ``tests/unit/test_exported_members.py``
keeps it deliberate.
"""

from __future__ import annotations

__version__ = "0.1.0.dev0"

from fakehub.config import HubConfig
from fakehub.control.client import ControlClient
from fakehub.domain.jobs.outcomes import JobOutcome
from fakehub.hub import FakeHub
from fakehub.machines.policy import Policy

__all__ = ["ControlClient", "FakeHub", "HubConfig", "JobOutcome", "Policy", "__version__"]
