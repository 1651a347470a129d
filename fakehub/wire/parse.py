"""Request parsing: JSON bodies into pydantic models, with 400s that name what was wrong."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from fakehub.domain.errors import BadRequest
from fakehub.untrusted import InputRefused, load_json

M = TypeVar("M", bound=BaseModel)


class WireModel(BaseModel):
    """Base of request bodies: camelCase on the wire, strict types, unknown keys tolerated.

    Unknown keys are tolerated because newer clients add fields (e.g. ``network`` on jobs);
    rejecting them would break clients the real Hub accepts.
    """

    model_config = ConfigDict(extra="ignore", strict=True, populate_by_name=True, frozen=True)


def describe_validation_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        location = ".".join(str(p) for p in item["loc"]) or "body"
        parts.append(f"{location}: {item['msg']}")
    return "; ".join(parts)


def decode_json(raw: bytes, *, allow_empty: bool = False) -> Any:
    if not raw.strip():
        if allow_empty:
            return None
        raise BadRequest("Request body is empty: expected a JSON object")
    try:
        return load_json(raw)
    except InputRefused as exc:
        raise BadRequest(f"Request body refused: {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"Request body is not valid JSON: {exc}") from None


def parse_model(model: type[M], raw: bytes) -> M:
    data = decode_json(raw)
    if not isinstance(data, dict):
        raise BadRequest(f"Request body must be a JSON object, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadRequest(f"Invalid request body: {describe_validation_error(exc)}") from None


def query_flag(value: str | None) -> bool:
    """Query booleans: requests sends ``True``, httpx sends ``true``; also accept ``1``."""
    return value is not None and value.strip().lower() in ("1", "true", "yes")


def check_known_params(given: Iterable[str], known: Collection[str], route: str) -> None:
    """400 for a query parameter fakehub does not honour on a list route.

    The Hub may know filters fakehub does not fake; answering as if the filter were applied
    would be a made-up success, so an unknown parameter is refused, named.
    """
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise BadRequest(
            f"{unknown[0]}: fakehub cannot honour this query parameter of {route} "
            f"(it honours {', '.join(sorted(known))})"
        )
