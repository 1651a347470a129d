"""From HTTP bytes to cassette fields and back: bodies, headers, query strings, SSE events."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from fakehub.recording.cassette import Event, Headers, Request, Response
from fakehub.untrusted import load_json

#: never recorded, never replayed: they describe one connection, not the answer
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "content-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-authenticate",
        "proxy-authorization",
        "server",
        # a session cookie is a credential: dropped rather than scrubbed
        "set-cookie",
    }
)
#: request headers worth keeping in a cassette (the rest is client noise: versions, trace ids)
REQUEST_HEADERS = ("authorization", "content-type", "range")


def body_fields(content: bytes, content_type: str | None) -> dict[str, Any]:
    """``{"json": ...}``, ``{"text": ...}``, ``{"base64": ...}`` or ``{}`` for an empty body."""
    if not content:
        return {}
    if content_type and "json" in content_type.lower() and "ndjson" not in content_type.lower():
        try:
            return {"json": load_json(content)}
        except ValueError:
            pass  # a server that lies about its content type: keep the text
    try:
        return {"text": content.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(content).decode("ascii")}


def request_body_fields(content: bytes, content_type: str | None, path: str) -> dict[str, Any]:
    """A request body as the route reads it, whatever ``Content-Type`` the client sent.

    Hub API routes (``/api/...``) parse JSON bodies even when sent as a form or with no type
    (``curl -d``), so the cassette keeps such a body as JSON — and the scrubber then finds its
    secrets by structure. Commit bodies are NDJSON lines and stay text; elsewhere (file and
    storage transfers) the ``Content-Type`` decides, as before.
    """
    if not content:
        return {}
    api_json = path.startswith("/api/") and "/commit/" not in path
    if api_json and "ndjson" not in (content_type or "").lower():
        try:
            return {"json": load_json(content)}
        except ValueError:
            pass  # not JSON (or JSON the fake refuses): the route sees it as such
        return body_fields(content, None)
    return body_fields(content, content_type)


def fold_headers(pairs: Iterable[tuple[str, str]], keep: Iterable[str] | None = None) -> Headers:
    """Lower-case names, sorted; a repeated header (``X-HF-Warning``) becomes a list."""
    wanted = None if keep is None else set(keep)
    folded: dict[str, list[str]] = {}
    for name, value in pairs:
        key = name.lower()
        if key in HOP_BY_HOP or (wanted is not None and key not in wanted):
            continue
        folded.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in sorted(folded.items())}


def unfold_headers(headers: Headers) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, values in headers.items()
        for value in (values if isinstance(values, list) else [values])
    ]


def fold_query(query_string: str) -> Headers:
    folded: dict[str, list[str]] = {}
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        folded.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in folded.items()}


def is_event_stream(content_type: str | None) -> bool:
    return bool(content_type) and "text/event-stream" in (content_type or "").lower()


class EventParser:
    """Cuts an SSE byte stream into events as chunks arrive (events may straddle chunks)."""

    def __init__(self) -> None:
        self._buffer = b""
        self.events: list[Event] = []

    def feed(self, chunk: bytes, at: float) -> None:
        self._buffer += chunk.replace(b"\r\n", b"\n")
        while b"\n\n" in self._buffer:
            block, self._buffer = self._buffer.split(b"\n\n", 1)
            self._add(block, at)

    def close(self, at: float) -> list[Event]:
        """Keep a trailing event that had no blank line after it (a server cut mid-event)."""
        if self._buffer.strip():
            self._add(self._buffer, at)
        self._buffer = b""
        return self.events

    def _add(self, block: bytes, at: float) -> None:
        text = block.decode("utf-8", "replace")
        fields: dict[str, Any] = {"at": round(at, 3)}
        data: list[str] = []
        for line in text.split("\n"):
            if not line:
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "":
                # a comment line: one event of its own, as the Hub sends them (": keep-alive")
                self.events.append(Event(at=round(at, 3), comment=value))
            elif name == "data":
                data.append(value)
            elif name in ("event", "id"):
                fields[name] = value
        if data:
            fields.update(_data_field("\n".join(data)))
        if len(fields) > 1:
            self.events.append(Event.model_validate(fields))


def _data_field(raw: str) -> dict[str, Any]:
    if raw.startswith(("{", "[")):
        try:
            return {"data": load_json(raw)}
        except ValueError:
            pass
    return {"data_text": raw}


def map_strings(value: Any, text: Callable[[str], str]) -> Any:
    """``value`` (parsed JSON, headers) with ``text`` applied to every string, keys included."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [map_strings(v, text) for v in value]
    if isinstance(value, dict):
        return {text(k): map_strings(v, text) for k, v in value.items()}
    return value


def map_request(request: Request, text: Callable[[str], str]) -> Request:
    """The request with every string in it (path, query, headers, body) passed through ``text``."""
    update: dict[str, Any] = {
        "path": text(request.path),
        "query": map_strings(request.query, text),
        "headers": map_strings(request.headers, text),
    }
    if "json_" in request.model_fields_set:
        update["json_"] = map_strings(request.json_, text)
    elif request.text is not None:
        update["text"] = text(request.text)
    return request.model_copy(update=update)


def map_response(response: Response, text: Callable[[str], str]) -> Response:
    update: dict[str, Any] = {"headers": map_strings(response.headers, text)}
    if "json_" in response.model_fields_set:
        update["json_"] = map_strings(response.json_, text)
    elif response.text is not None:
        update["text"] = text(response.text)
    if response.events is not None:
        update["events"] = [map_event(e, text) for e in response.events]
    return response.model_copy(update=update)


def map_event(event: Event, text: Callable[[str], str]) -> Event:
    update: dict[str, Any] = {}
    if "data" in event.model_fields_set:
        update["data"] = map_strings(event.data, text)
    for name in ("data_text", "comment"):
        if getattr(event, name) is not None:
            update[name] = text(getattr(event, name))
    return event.model_copy(update=update)
