"""Commits and files on the wire (commits.md): preupload, NDJSON commits, tree entries."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs

from pydantic import Field, ValidationError

from fakehub.domain.errors import BadRequest
from fakehub.domain.spaces.card import parse_card
from fakehub.domain.spaces.commits import (
    AddFile,
    AddLfsFile,
    DeleteFile,
    DeleteFolder,
    Operation,
    PreuploadAnswer,
    PreuploadFile,
)
from fakehub.domain.spaces.files import CommitHeader, CommitResult
from fakehub.domain.spaces.tree import TreeEntry
from fakehub.timefmt import iso
from fakehub.untrusted import InputRefused, load_json
from fakehub.wire.parse import WireModel, decode_json, describe_validation_error, query_flag

_PARENT = re.compile(r"^[0-9a-fA-F]{5,40}$")


def decode_base64(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"{where}: not valid base64") from None


# -- preupload ------------------------------------------------------------------------------------


class PreuploadFileBody(WireModel):
    path: str
    size: int
    sample: str
    sha: str | None = None  # 0.20.3 sends the sha256; nothing needs it


class PreuploadBody(WireModel):
    files: list[PreuploadFileBody] = Field(max_length=1000)
    git_ignore: str | None = Field(default=None, alias="gitIgnore")

    def domain_files(self) -> list[PreuploadFile]:
        return [
            PreuploadFile(f.path, f.size, decode_base64(f.sample, f"files[{i}].sample"))
            for i, f in enumerate(self.files)
        ]


def preupload_json(answers: Sequence[PreuploadAnswer], commit_oid: str) -> dict[str, Any]:
    files: list[dict[str, Any]] = []
    for answer in answers:
        item: dict[str, Any] = {
            "path": answer.path,
            "uploadMode": answer.upload_mode,
            "shouldIgnore": answer.should_ignore,
        }
        if answer.oid is not None:
            item["oid"] = answer.oid
        files.append(item)
    return {"files": files, "commitOid": commit_oid}


# -- commit ---------------------------------------------------------------------------------------


class HeaderValue(WireModel):
    summary: str
    description: str = ""
    parent_commit: str | None = Field(default=None, alias="parentCommit")


class FileValue(WireModel):
    path: str
    content: str
    encoding: str = "utf-8"


class PathValue(WireModel):
    path: str


class LfsFileValue(WireModel):
    path: str
    algo: str = "sha256"
    oid: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    size: int | None = Field(default=None, ge=0)


def _model(model: type[WireModel], value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise BadRequest(f"{where}: 'value' must be a JSON object")
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise BadRequest(f"{where}: {describe_validation_error(exc)}") from None


def add_file(item: FileValue, where: str) -> AddFile:
    """A ``file`` commit line, or one of ``files`` in a create-repo body."""
    if item.encoding == "base64":
        return AddFile(item.path, decode_base64(item.content, f"{where} content"))
    if item.encoding == "utf-8":
        return AddFile(item.path, item.content.encode("utf-8"))
    raise BadRequest(f"{where}: unknown encoding {item.encoding!r}; expected base64 or utf-8")


def _operation(key: str, value: Any, where: str) -> Operation:
    if key == "file":
        return add_file(_model(FileValue, value, where), where)
    if key == "lfsFile":
        lfs: LfsFileValue = _model(LfsFileValue, value, where)
        if lfs.algo != "sha256":
            raise BadRequest(f"{where}: unknown algo {lfs.algo!r}; expected sha256")
        return AddLfsFile(lfs.path, lfs.oid.lower(), lfs.size)
    if key in ("deletedFile", "deletedFolder", "deletedEntry"):
        path_value: PathValue = _model(PathValue, value, where)
        if key == "deletedFolder":
            return DeleteFolder(path_value.path)
        return DeleteFile(path_value.path)  # deletedFile also deletes a folder of that name
    raise BadRequest(
        f"{where}: unknown key {key!r}; expected header, file, lfsFile, deletedFile, deletedFolder"
    )


def parse_commit_body(raw: bytes) -> tuple[CommitHeader, list[Operation]]:
    """NDJSON: a ``header`` line first, then one line per operation."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("Commit body is not valid UTF-8") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise BadRequest("Commit body is empty: expected NDJSON lines, starting with a header")
    header: CommitHeader | None = None
    operations: list[Operation] = []
    for number, line in lines:
        where = f"line {number}"
        try:
            item = load_json(line)
        except InputRefused as exc:
            raise BadRequest(f"{where}: refused: {exc}") from None
        except json.JSONDecodeError as exc:
            raise BadRequest(f"{where}: not valid JSON: {exc}") from None
        if not isinstance(item, dict) or "key" not in item or "value" not in item:
            raise BadRequest(f"{where}: expected an object with 'key' and 'value'")
        if item["key"] == "header":
            if header is not None or number != lines[0][0]:
                raise BadRequest(f"{where}: the header must be the first line, and only once")
            header = _header(item["value"], where)
        elif header is None:
            raise BadRequest(f"{where}: the first line must be the header")
        else:
            operations.append(_operation(str(item["key"]), item["value"], where))
    assert header is not None
    return header, operations


def _header(value: Any, where: str) -> CommitHeader:
    parsed: HeaderValue = _model(HeaderValue, value, where)
    parent = parsed.parent_commit
    if parent is not None and not _PARENT.match(parent):
        raise BadRequest(f"{where}: parentCommit must be 5 to 40 hex digits, got {parent!r}")
    return CommitHeader(parsed.summary, parsed.description, parent)


def commit_json(result: CommitResult, commit_url_base: str) -> dict[str, Any]:
    oid = result.commit.oid
    return {
        "success": True,
        "commitOid": oid,
        "commitUrl": f"{commit_url_base}/commit/{oid}",
        "hookOutput": "",
    }


# -- reads ----------------------------------------------------------------------------------------


def tree_entry_json(entry: TreeEntry) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": entry.type,
        "oid": entry.oid,
        "size": entry.size,
        "path": entry.path,
    }
    if entry.lfs is not None:
        body["lfs"] = {
            "oid": entry.lfs.sha256,
            "size": entry.lfs.size,
            "pointerSize": len(entry.lfs.pointer_text()),
        }
        if entry.lfs.xet_hash is not None:
            body["xetHash"] = entry.lfs.xet_hash
    if entry.last_commit is not None:
        commit = entry.last_commit
        body["lastCommit"] = {"id": commit.oid, "title": commit.title, "date": iso(commit.at_ns)}
    return body


def parse_paths_info(raw: bytes, content_type: str) -> tuple[list[str], bool]:
    """Form-encoded (what every client sends) or JSON (what the OpenAPI documents)."""
    if content_type.startswith("application/json"):
        data = decode_json(raw)
        if not isinstance(data, dict):
            raise BadRequest("Request body must be a JSON object with 'paths'")
        paths = data.get("paths")
        expand = data.get("expand", False)
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise BadRequest("paths: expected a list of strings")
        return paths, expand is True
    try:
        form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise BadRequest("Request body is not valid UTF-8") from None
    if "paths" not in form:
        raise BadRequest("paths: required (form field 'paths', repeated)")
    return form["paths"], query_flag(form.get("expand", [""])[-1])


# -- validate-yaml --------------------------------------------------------------------------------


def parse_validate_yaml(raw: bytes, content_type: str) -> str:
    """The README text from ``{"content", "repoType"}`` (JSON, or a form from ≤1.28's cards)."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        content: Any = form["content"][-1] if "content" in form else None
    else:
        data = decode_json(raw)
        content = data.get("content") if isinstance(data, dict) else None
    if not isinstance(content, str):
        raise BadRequest("content: required, the README.md text")
    return content


def validate_yaml_json(content: str) -> tuple[int, dict[str, Any]]:
    """The client reads ``errors``/``warnings`` lists (and raises on a 400)."""
    card = parse_card(content.encode("utf-8"))
    if card.error is not None:
        return 400, {"errors": [{"message": card.error}], "warnings": []}
    return 200, {"errors": [], "warnings": []}
