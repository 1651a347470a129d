"""Paths inside a Space repository, and the git pattern files that classify them.

``.gitignore`` decides which uploads the Hub tells the client to skip (``shouldIgnore``), and
``.gitattributes`` which paths are LFS-tracked (fakehub refuses those, see ``commits.py``). Both
use git's wildmatch syntax; this module implements the subset that repository files use in
practice: ``*``, ``?``, ``[...]``, ``**``, a leading ``/`` (anchored), a trailing ``/``
(directories only), ``!`` negation in ``.gitignore``, and ``#`` comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fakehub.domain.errors import BadRequest

GITATTRIBUTES = ".gitattributes"
GITIGNORE = ".gitignore"


def validate_repo_path(path: str, field: str = "path") -> str:
    """A file path as the Hub stores it: relative, ``/``-separated, no ``.``/``..``/``.git``."""
    if not path or path.startswith("/") or path.endswith("/"):
        raise BadRequest(f"{field}: invalid path {path!r}: expected a relative file path")
    parts = path.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise BadRequest(f"{field}: invalid path {path!r}: empty, '.' or '..' segment")
        if part == ".git":
            raise BadRequest(f"{field}: invalid path {path!r}: '.git' folders cannot be uploaded")
    if "\x00" in path or "\\" in path:
        raise BadRequest(f"{field}: invalid path {path!r}: NUL or backslash in path")
    return path


@lru_cache(maxsize=512)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """git wildmatch -> regex on a full ``/``-separated path (``*`` never crosses ``/``)."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 2 :]:
            end = glob.index("]", i + 2)
            body = glob[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass(frozen=True)
class Pattern:
    glob: str
    negated: bool = False
    directory_only: bool = False

    @property
    def anchored(self) -> bool:
        return "/" in self.glob

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` or one of its parent folders."""
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            is_dir = depth < len(parts)
            if self.directory_only and not is_dir:
                continue
            candidate = "/".join(parts[:depth])
            subject = candidate if self.anchored else parts[depth - 1]
            if _glob_regex(self.glob).match(subject):
                return True
        return False


def _parse_line(line: str, allow_negation: bool) -> Pattern | None:
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    negated = allow_negation and text.startswith("!")
    if negated:
        text = text[1:]
    directory_only = text.endswith("/")
    text = text.rstrip("/").lstrip("/") if text.startswith("/") else text.rstrip("/")
    if not text:
        return None
    return Pattern(text, negated=negated, directory_only=directory_only)


def gitignore_patterns(text: str) -> list[Pattern]:
    lines = (_parse_line(line, allow_negation=True) for line in text.splitlines())
    return [p for p in lines if p is not None]


def is_ignored(path: str, patterns: list[Pattern]) -> bool:
    """git's rule: the last matching pattern wins; ``!`` re-includes."""
    ignored = False
    for pattern in patterns:
        if pattern.matches(path):
            ignored = not pattern.negated
    return ignored


def lfs_patterns(gitattributes: str) -> list[Pattern]:
    """The patterns a ``.gitattributes`` file routes through LFS (``filter=lfs``)."""
    patterns: list[Pattern] = []
    for line in gitattributes.splitlines():
        fields = line.split()
        if len(fields) < 2 or fields[0].startswith("#"):
            continue
        if "filter=lfs" in fields[1:]:
            pattern = _parse_line(fields[0], allow_negation=False)
            if pattern is not None:
                patterns.append(pattern)
    return patterns


def is_lfs_tracked(path: str, patterns: list[Pattern]) -> bool:
    return any(pattern.matches(path) for pattern in patterns)
