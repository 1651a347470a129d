"""Runs inside a client virtualenv: executes calls on the real ``huggingface_hub`` and answers JSON.

Protocol: one JSON request per line on stdin, one JSON answer per line on the protocol stream.
The library's own prints go to stderr, so they can never corrupt an answer.

Requests:
  {"op": "call", "name": "pause_space", "args": [...], "kwargs": {...}}   -> api.<name>(...)
  {"op": "exec", "code": "...", "vars": {...}}   -> exec with `api`, `hf` and vars; returns `result`

Answers: {"ok": <jsonable result>, "warnings": [...]} or {"error": {...}, "warnings": [...]}.
This file must stay importable by every client version's Python and must not import fakehub.
"""

import dataclasses
import datetime
import enum
import json
import os
import sys
import traceback
import warnings


def jsonable(value, depth=0):
    if depth > 20:
        return repr(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value, depth + 1)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {"__type__": type(value).__name__}
        for field in dataclasses.fields(value):
            out[field.name] = jsonable(getattr(value, field.name, None), depth + 1)
        return out
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "__next__"):
        return [jsonable(v, depth + 1) for v in value]
    if hasattr(value, "__dict__"):
        out = {"__type__": type(value).__name__}
        for key, item in vars(value).items():
            if not key.startswith("_"):
                out[key] = jsonable(item, depth + 1)
        return out
    return repr(value)


def describe_error(exc):
    response = getattr(exc, "response", None)
    return {
        "type": type(exc).__name__,
        "mro": [cls.__name__ for cls in type(exc).__mro__],
        "message": str(exc),
        "status": getattr(response, "status_code", None),
        "server_message": getattr(exc, "server_message", None),
        "traceback": traceback.format_exc(),
    }


def main():
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import huggingface_hub
    from huggingface_hub import HfApi

    api = HfApi()
    namespace = {"api": api, "hf": huggingface_hub, "HfApi": HfApi}
    protocol.write(json.dumps({"ready": huggingface_hub.__version__}) + "\n")
    protocol.flush()

    for line in sys.stdin:
        request = json.loads(line)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                if request["op"] == "call":
                    fn = getattr(api, request["name"])
                    result = fn(*request.get("args", []), **request.get("kwargs", {}))
                else:
                    scope = dict(namespace)
                    scope.update(request.get("vars", {}))
                    exec(request["code"], scope)
                    result = scope.get("result")
                answer = {"ok": jsonable(result)}
            except BaseException as exc:
                answer = {"error": describe_error(exc)}
        answer["warnings"] = [
            {"category": w.category.__name__, "message": str(w.message)} for w in caught
        ]
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
