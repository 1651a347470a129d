"""The Space's ``README.md`` front matter: what the runtime needs from it.

The Hub reads the YAML block between ``---`` lines at the top of ``README.md``. A block that is
not valid YAML, not a mapping, or declares an unknown SDK puts the Space in ``CONFIG_ERROR``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from fakehub.domain.spaces.records import SPACE_SDKS
from fakehub.untrusted import InputRefused, load_yaml

README = "README.md"
#: What the Hub runs when the card names no ``app_file``.
DEFAULT_APP_FILES = {"gradio": "app.py", "streamlit": "app.py", "docker": "Dockerfile"}


@dataclass(frozen=True)
class Card:
    data: Mapping[str, Any] = field(default_factory=dict)
    #: why the front matter is unusable, or None
    error: str | None = None

    @property
    def sdk(self) -> str | None:
        value = self.data.get("sdk")
        return value if isinstance(value, str) else None

    @property
    def app_file(self) -> str | None:
        value = self.data.get("app_file")
        return value if isinstance(value, str) else None

    @property
    def models(self) -> list[str]:
        """The models the Space says it uses (``models:``), which the Hub links it to."""
        return self._repo_ids("models")

    @property
    def datasets(self) -> list[str]:
        """The datasets the Space says it uses (``datasets:``)."""
        return self._repo_ids("datasets")

    def _repo_ids(self, key: str) -> list[str]:
        # One id or a list of ids; anything else in the list is not a repo id and is skipped.
        value = self.data.get(key)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))


def _front_matter(text: str) -> str | None:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index])
    return None


def parse_card(readme: bytes | None) -> Card:
    if readme is None:
        return Card()
    return _parse_card(readme)


# Every Space read (info, lists, search) looks at the card, and PyYAML's pure-Python loader
# takes milliseconds per README: the answer depends only on the bytes, so keep recent ones.
# Callers never mutate a Card's data (it is frozen, its mapping copied before it is serialised).
@functools.lru_cache(maxsize=512)
def _parse_card(readme: bytes) -> Card:
    try:
        text = readme.decode("utf-8")
    except UnicodeDecodeError:
        return Card(error="README.md is not valid UTF-8")
    block = _front_matter(text)
    if block is None:
        return Card()
    try:
        data = load_yaml(block)
    except InputRefused as exc:
        return Card(error=f"README.md front matter refused: {exc}")
    except yaml.YAMLError as exc:
        return Card(error=f"Invalid YAML in README.md front matter: {exc}")
    if data is None:
        return Card()
    if not isinstance(data, dict):
        return Card(error="README.md front matter must be a YAML mapping")
    card = Card(data=data)
    if "sdk" in data and card.sdk not in SPACE_SDKS:
        return Card(data=data, error=f"Invalid sdk {data['sdk']!r} in README.md front matter")
    if "app_file" in data and card.app_file is None:
        return Card(data=data, error="app_file in README.md front matter must be a string")
    return card


def app_file_for(sdk: str, card: Card) -> str | None:
    """The file whose presence makes a Space buildable (None for static Spaces)."""
    if sdk == "static":
        return None
    if sdk == "docker":
        return "Dockerfile"
    return card.app_file or DEFAULT_APP_FILES.get(sdk, "app.py")
