"""Space secrets and variables on the wire.

Both are maps from key to an object carrying ``value`` (variables only), ``description`` only
once one was set, and ``updatedAt`` always (0.20.3 requires it for variables), in that order.
No ``key`` inside the entries: the Hub's published schema lists one, but the production Hub's
recorded answers (huggingface_hub's ``TestSpaceAPIProduction`` cassettes) have none, and the
recordings win. Secrets follow variables (same schema, same server). Secret values are never
serialised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import StrictStr

from fakehub.domain.spaces.records import KeyValue
from fakehub.timefmt import iso
from fakehub.wire.parse import WireModel


def _entry(item: KeyValue, *, with_value: bool) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if with_value:
        body["value"] = item.value
    if item.description is not None:
        body["description"] = item.description
    body["updatedAt"] = iso(item.updated_at_ns)
    return body


def secrets_json(secrets: Mapping[str, KeyValue]) -> dict[str, Any]:
    return {key: _entry(item, with_value=False) for key, item in secrets.items()}


def variables_json(variables: Mapping[str, KeyValue]) -> dict[str, Any]:
    return {key: _entry(item, with_value=True) for key, item in variables.items()}


class KeyValueBody(WireModel):
    """``POST /secrets`` and ``POST /variables``: ``value`` defaults to "" as in the schema."""

    key: StrictStr
    value: StrictStr = ""
    description: StrictStr | None = None


class KeyBody(WireModel):
    """``DELETE /secrets`` and ``DELETE /variables``."""

    key: StrictStr
