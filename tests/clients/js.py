"""The npm client ``@huggingface/hub``, pinned in ``tests/js/package-lock.json``, driven from tests.

``npm ci`` installs it into ``tests/js/node_modules`` on first use (a file lock makes that safe
under xdist; a stamp holding the lock file's hash triggers a reinstall when the pin moves).
:class:`JsWorker` is one long-lived node process (``tests/js/worker.mjs``) pointed at one fakehub
endpoint: :meth:`JsWorker.run` runs a snippet, :meth:`JsWorker.call` an exported function of a
``tests/js/*.mjs`` script; both return the JSON value, or raise :class:`JsError`.

Where ``node`` or ``npm`` is missing, :func:`missing_reason` says so and the ``js`` fixture skips;
an install that fails is an error, never a skip.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from filelock import FileLock

from tests.clients.driver import stop_worker

JS_DIR = Path(__file__).resolve().parents[1] / "js"
WORKER = JS_DIR / "worker.mjs"
STAMP = JS_DIR / "node_modules" / ".fakehub-ready"
#: node 20 is the oldest line the client supports (``engines`` in package.json)
MIN_NODE_MAJOR = 20
#: seconds one request may take before the worker is judged stuck (and killed)
DEFAULT_TIMEOUT = 60.0


class JsError(Exception):
    """An error the npm client threw (``HubApiError`` carries the status and the URL)."""

    def __init__(
        self, name: str, message: str, statusCode: int | None, url: str | None, stack: str
    ) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.status = statusCode
        self.url = url
        self.stack = stack


def missing_reason() -> str | None:
    """Why the npm client cannot run here, or None when node and npm are usable."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        absent = " and ".join(name for name, path in (("node", node), ("npm", npm)) if not path)
        return f"{absent} not found on PATH: the npm client's contract tests need node >= 20"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    major = int(version.stdout.strip().lstrip("v").split(".")[0])
    if major < MIN_NODE_MAJOR:
        return f"node {version.stdout.strip()} is too old: the npm client needs node >= 20"
    return None


def _lock_hash() -> str:
    return hashlib.sha256((JS_DIR / "package-lock.json").read_bytes()).hexdigest()


def ensure_installed() -> Path:
    """``tests/js/node_modules`` holding exactly the locked packages (``npm ci`` if needed)."""
    wanted = _lock_hash()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return JS_DIR
    with FileLock(str(JS_DIR / ".npm-install.lock")):
        if not (STAMP.exists() and STAMP.read_text() == wanted):
            done = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=JS_DIR,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(f"npm ci in {JS_DIR} failed:\n{done.stdout}{done.stderr}")
            STAMP.write_text(wanted)
    return JS_DIR


def _encode(value: Any) -> Any:
    """Python values for the worker: ``bytes`` become ``{"$bytes": base64}`` (a Uint8Array)."""
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    """The worker's answer: ``{"$bytes": base64}`` (a Uint8Array or ArrayBuffer) becomes bytes."""
    if isinstance(value, dict):
        if value.keys() == {"$bytes"} and isinstance(value["$bytes"], str):
            return base64.b64decode(value["$bytes"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class JsWorker:
    """One node process with the npm client, pointed at ``endpoint`` with ``token``."""

    def __init__(self, endpoint: str, token: str | None, timeout: float = DEFAULT_TIMEOUT) -> None:
        ensure_installed()
        self.endpoint = endpoint
        self.timeout = timeout
        self._home = tempfile.TemporaryDirectory(prefix="fakehub-js-")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_"))}
        env.update(
            FAKEHUB_URL=endpoint,
            FAKEHUB_TOKEN=token or "",
            HOME=self._home.name,  # the client's cache (~/.cache/huggingface) lands here
            NO_COLOR="1",
        )
        self._proc = subprocess.Popen(
            ["node", str(WORKER)],
            cwd=JS_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )

    def _send(self, request: dict[str, Any]) -> Any:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(_encode(request)) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], self.timeout)
        if not ready:
            proc.kill()
            raise TimeoutError(f"the npm client did not answer within {self.timeout} s")
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the npm client's worker exited unexpectedly")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise JsError(**answer["error"])
        return _decode(answer["value"])

    def run(self, code: str, /, **variables: Any) -> Any:
        """Run ``code`` as the body of an async function; its ``return`` value, as JSON.

        In scope: ``hub`` (the package), ``opts`` (``{hubUrl, accessToken}``, to spread into
        every call) and ``variables``; ``bytes`` travel both ways as a ``Uint8Array`` (return
        ``new Uint8Array(await blob.arrayBuffer())`` to get a file's bytes back). Example::

            js.run("return await hub.fileExists({...opts, repo, path})",
                   repo={"type": "space", "name": "fakeuser/demo"}, path="app.py")
        """
        return self._send({"op": "exec", "code": textwrap.dedent(code), "vars": variables})

    def call(self, module: str, function: str, /, **variables: Any) -> Any:
        """``export async function <function>({hub, opts, ...variables})`` of ``tests/js/<module>``."""
        return self._send({"op": "call", "module": module, "name": function, "vars": variables})

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def close(self) -> None:
        stop_worker(self._proc)
        self._home.cleanup()
