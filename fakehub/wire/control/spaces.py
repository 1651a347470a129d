"""A visit to a Space (``/_fakehub/spaces/{ns}/{name}/visit``)."""

from __future__ import annotations

from typing_extensions import TypedDict


class Visit(TypedDict):
    id: str
    stage: str


def visit_json(repo_id: str, stage: str) -> Visit:
    return {"id": repo_id, "stage": stage}
