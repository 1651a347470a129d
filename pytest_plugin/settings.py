"""What a test asks of the fake: the marker, the command line and ``fake_hub_config``, merged.

Precedence, highest first: ``@pytest.mark.fake_hub(...)`` (closest marker wins), then the
``--fakehub-*`` options, then the ``fake_hub_config`` fixture, then fakehub's defaults.
Every source takes the same keys (see :data:`KEYS`); an unknown key or a bad value is an error
that names the key and where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from fakehub import HubConfig, Policy
from fakehub.clock import NS_PER_SECOND
from fakehub.config import TokenSpec, UserSpec, default_users
from fakehub.timefmt import parse_iso

KEYS = {
    "space_policy": "progression of Spaces: 'timed', 'instant', 'per-poll(N)' or a Policy",
    "job_policy": "progression of Jobs: same forms as space_policy",
    "durations": "step durations for both policies, e.g. {'build': '1m', 'run': 90}",
    "start": "virtual start: ISO-8601 text, an aware datetime, or epoch nanoseconds",
    "seed": "seed for ids (int)",
    "users": "extra users: names (tokens hf_<name>_write / hf_<name>_read) or UserSpec",
    "clock": "'manual' (default) or 'realtime'",
    "clock_speed": "virtual seconds per real second in realtime mode",
    "allow_hosts": "hosts that may still be reached for real (default none), Hub hosts included",
    "block_network": "True: every other non-loopback connection (any HTTP library, raw sockets) "
    "fails at once, naming the host (default False)",
    "replay": "a cassette to replay (see --fakehub-record-mode); relative to the test file",
    "fail_on_paid_hardware": "True: fail the test if a Space or Job still holds paid hardware "
    "when it ends (see fake_hub.assert_no_paid_hardware_running)",
    "scenario": "a scenario to start from: a shipped name ('happy-deploy') or a YAML file, "
    "relative to the test file; settings given with it (policies...) apply on top",
}


def token_of(user: str, role: str = "write") -> str:
    """The fixed token the plugin gives an extra user (``hf_alice_write``, ``hf_alice_read``)."""
    slug = re.sub(r"[^A-Za-z0-9]", "_", user)
    return f"hf_{slug}_{role}"


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any] = field(default_factory=dict)

    def merged(self, source: str, values: Mapping[str, Any]) -> Settings:
        unknown = sorted(set(values) - set(KEYS))
        if unknown:
            known = ", ".join(sorted(KEYS))
            raise ValueError(f"{source}: unknown fake_hub setting(s) {unknown}; known: {known}")
        return replace(self, values={**self.values, **values})

    def scenario_path(self, test_file: Path | None) -> Path | None:
        """The scenario file to load: a path next to the test file, else a shipped name."""
        value = self.values.get("scenario")
        if value is None:
            return None
        if not isinstance(value, str | Path) or not str(value):
            raise ValueError(f"scenario: expected a scenario name or path, got {value!r}")
        if test_file is not None and (test_file.parent / value).is_file():
            return test_file.parent / value
        from fakehub.scenario.loader import ScenarioError, resolve

        try:
            return resolve(str(value))
        except ScenarioError as exc:
            raise ValueError(f"scenario: {exc}") from None

    @property
    def allow_hosts(self) -> tuple[str, ...]:
        return tuple(self.values.get("allow_hosts", ()))

    @property
    def block_network(self) -> bool:
        value = self.values.get("block_network", False)
        if not isinstance(value, bool):
            raise ValueError(f"block_network: expected True or False, got {value!r}")
        return value

    @property
    def extra_users(self) -> tuple[UserSpec, ...]:
        return tuple(_user(spec) for spec in self.values.get("users", ()))

    def policy(self, kind: str) -> Policy | None:
        value = self.values.get(f"{kind}_policy")
        durations = self.values.get("durations")
        if value is None:
            return Policy.parse("timed", durations) if durations else None
        if isinstance(value, Policy):
            return value
        try:
            return Policy.parse(str(value), durations)
        except ValueError as exc:
            raise ValueError(f"{kind}_policy: {exc}") from None

    def start_ns(self) -> int | None:
        value = self.values.get("start")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("start: give an aware datetime (e.g. tzinfo=timezone.utc)")
            whole = int(value.replace(microsecond=0).timestamp())
            return whole * NS_PER_SECOND + value.microsecond * 1000
        try:
            return parse_iso(str(value))
        except ValueError:
            raise ValueError(f"start: not an ISO-8601 timestamp: {value!r}") from None

    def hub_config(self) -> HubConfig:
        """The :class:`HubConfig` these settings describe (for a fake in this process).

        Worked out once per ``Settings`` (the plugin reuses one for every test that sets
        nothing of its own); a bad value raises every time.
        """
        cached: HubConfig | None = self.__dict__.get("_hub_config")
        if cached is None:
            cached = self._build_hub_config()
            object.__setattr__(self, "_hub_config", cached)  # a cache, not a field
        return cached

    def _build_hub_config(self) -> HubConfig:
        config = HubConfig()
        changes: dict[str, Any] = {}
        for kind in ("space", "job"):
            policy = self.policy(kind)
            if policy is not None:
                changes[f"{kind}_policy"] = policy
        start = self.start_ns()
        if start is not None:
            changes["start_ns"] = start
        if "seed" in self.values:
            seed = self.values["seed"]
            if not isinstance(seed, int) or isinstance(seed, bool):
                raise ValueError(f"seed: expected an int, got {seed!r}")
            changes["seed"] = seed
        clock = self.values.get("clock")
        if clock is not None:
            if clock not in ("manual", "realtime"):
                raise ValueError(f"clock: expected 'manual' or 'realtime', got {clock!r}")
            changes["clock_mode"] = clock
        if "clock_speed" in self.values:
            changes["clock_speed"] = float(self.values["clock_speed"])
        if self.extra_users:
            changes["users"] = (*default_users(), *self.extra_users)
        return replace(config, **changes)


def _user(spec: str | UserSpec) -> UserSpec:
    if isinstance(spec, UserSpec):
        return spec
    if not isinstance(spec, str) or not spec:
        raise ValueError(f"users: expected user names or UserSpec, got {spec!r}")
    return UserSpec(
        name=spec,
        tokens=(
            TokenSpec(token_of(spec, "write"), "write", f"{spec}-write"),
            TokenSpec(token_of(spec, "read"), "read", f"{spec}-read"),
        ),
    )


def from_marks(settings: Settings, marks: Iterable[Any]) -> Settings:
    """Apply ``fake_hub`` marks, given closest first (``iter_markers`` order): closest wins."""
    for mark in reversed(list(marks)):
        if mark.args:
            raise ValueError(
                f"@pytest.mark.fake_hub takes keyword arguments only, got {mark.args!r}"
            )
        settings = settings.merged("@pytest.mark.fake_hub", mark.kwargs)
    return settings
