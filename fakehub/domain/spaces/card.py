"""The Space's ``README.md`` front matter: what the runtime needs from it.

The Hub reads the YAML block between ``---`` lines at the top of ``README.md``. A block that is
not valid YAML, not a mapping, or declares an unknown SDK puts the Space in ``CONFIG_ERROR``.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from fakehub.domain.spaces.records import SPACE_SDKS, CardMemo, FileContent, Space
from fakehub.domain.spaces.tree import regular_bytes
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

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """The string entries of the card's ``tags`` list."""
        extra = self.data.get("tags")
        return tuple(t for t in extra if isinstance(t, str)) if isinstance(extra, list) else ()

    @cached_property
    def title(self) -> str | None:
        value = self.data.get("title")
        return value if isinstance(value, str) else None

    @cached_property
    def json_data(self) -> Mapping[str, Any]:
        """``cardData`` on the wire: YAML dates and other non-JSON scalars become strings.

        Computed once per card; callers copy it before changing anything (``dict(...)``).
        """
        loaded: Mapping[str, Any] = json.loads(json.dumps(dict(self.data), default=str))
        return loaded

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


def _shared(value: Any) -> Any:
    """Strings of the card as one shared object each (``sdk``, ``gradio``, ``app.py``... are
    the same in most cards, and a parsed card lives as long as its Space)."""
    return sys.intern(value) if type(value) is str else value


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
    data = {_shared(key): _shared(value) for key, value in data.items()}
    card = Card(data=data)
    if "sdk" in data and card.sdk not in SPACE_SDKS:
        return Card(data=data, error=f"Invalid sdk {data['sdk']!r} in README.md front matter")
    if "app_file" in data and card.app_file is None:
        return Card(data=data, error="app_file in README.md front matter must be a string")
    return card


def space_card(space: Space, readme: bytes | None = None, *, head: bool = True) -> Card:
    """The card of ``space``'s head README (or of ``readme``, another commit's), parsed once."""
    if head:
        readme = regular_bytes(space.files, README)
    memo = space.card_memo
    if memo is not None and memo.readme is readme and isinstance(memo.card, Card):
        return memo.card
    card = parse_card(readme)
    space.card_memo = CardMemo(readme, card)
    return card


def commit_card(space: Space, tree: Mapping[str, FileContent]) -> Card:
    """The card of one of ``space``'s commits (the head's is memoised; others share the memo)."""
    return space_card(space, regular_bytes(tree, README), head=False)


def app_file_for(sdk: str, card: Card) -> str | None:
    """The file whose presence makes a Space buildable (None for static Spaces)."""
    if sdk == "static":
        return None
    if sdk == "docker":
        return "Dockerfile"
    return card.app_file or DEFAULT_APP_FILES.get(sdk, "app.py")
