"""The test side of the client worker: start it, send calls, get results or client errors."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.clients.versions import ClientVersion, cli_for, python_for

WORKER = Path(__file__).with_name("worker.py")


class ClientError(Exception):
    """An exception the real client raised, as seen from the test process."""

    def __init__(
        self,
        type: str,
        mro: list[str],
        message: str,
        status: int | None,
        server_message: str | None,
        traceback: str,
    ) -> None:
        super().__init__(f"{type}: {message}")
        self.type = type
        self.mro = mro
        self.message = message
        self.status = status
        self.server_message = server_message
        self.traceback = traceback

    def is_a(self, name: str) -> bool:
        return name in self.mro


@dataclass
class Result:
    value: Any
    warnings: list[dict[str, str]] = field(default_factory=list)


def client_env(endpoint: str, home: str, token: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HF_", "HUGGINGFACE_")) and k not in ("PYTEST_CURRENT_TEST",)
    }
    env.update(
        HF_ENDPOINT=endpoint,
        HF_HOME=home,
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_UPDATE_CHECK="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        HF_HUB_DISABLE_IMPLICIT_TOKEN="0",
        NO_COLOR="1",
        PYTHONWARNINGS="ignore",
        PYTHONUNBUFFERED="1",
    )
    if token:
        env["HF_TOKEN"] = token
    return env


class ClientWorker:
    """One long-lived interpreter with one client version, pointed at one fakehub endpoint."""

    def __init__(self, version: ClientVersion, endpoint: str, token: str | None) -> None:
        self.version = version
        self.endpoint = endpoint
        self.token = token
        self._home = tempfile.TemporaryDirectory(prefix=f"fakehub-hf-{version.label}-")
        self.env = client_env(endpoint, self._home.name, token)
        self._proc = subprocess.Popen(
            [str(python_for(version)), str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=self.env,
            text=True,
        )
        hello = self._read()
        self.library_version = hello["ready"]

    @property
    def label(self) -> str:
        return self.version.label

    @property
    def major(self) -> int:
        return self.version.major

    def _read(self) -> dict[str, Any]:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"client worker {self.version.label} exited unexpectedly")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _send(self, request: dict[str, Any]) -> Result:
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        answer = self._read()
        if "error" in answer:
            raise ClientError(**answer["error"])
        return Result(answer["ok"], answer.get("warnings", []))

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """``api.<name>(*args, **kwargs)`` on the real client; its result as JSON data."""
        return self._send({"op": "call", "name": name, "args": args, "kwargs": kwargs}).value

    def call_full(self, name: str, *args: Any, **kwargs: Any) -> Result:
        """Like :meth:`call`, keeping the warnings the client emitted."""
        return self._send({"op": "call", "name": name, "args": args, "kwargs": kwargs})

    def exec(self, code: str, **variables: Any) -> Any:
        """Run client code with ``api`` (an ``HfApi()``) and ``hf`` (the module); returns ``result``."""
        return self._send({"op": "exec", "code": textwrap.dedent(code), "vars": variables}).value

    def cli(
        self, *args: str, input: str | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """Run this version's CLI (``hf``, or ``huggingface-cli`` on 0.20) against the fake."""
        return subprocess.run(
            [str(cli_for(self.version)), *args],
            env=self.env,
            capture_output=True,
            text=True,
            input=input,
            timeout=timeout,
        )

    def close(self) -> None:
        stop_worker(self._proc)
        self._home.cleanup()


def stop_worker(proc: subprocess.Popen[Any]) -> None:
    """End a line-protocol worker (Python client or node): close its input, kill it if it hangs."""
    if proc.poll() is None:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
