"""A real ``fakehub serve --state`` subprocess for tests: start, kill -9, restart on the same port."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


class StateServer:
    """One ``fakehub serve --state PATH`` process and a client holding its write token."""

    def __init__(self, path: Path, *options: str, port: int = 0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fakehub", "serve", "--state", str(path), "--port", str(port),
             "--clock", "manual", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        banner = ""
        for line in self.process.stdout:
            banner += line
            if "state:" in line:
                break
        url = re.search(r"at (http://\S+)", banner)
        token = re.search(r"write token\s+(\S+)", banner)
        if not (url and token):
            self.kill()
            stderr = self.process.stderr.read() if self.process.stderr else ""
            raise AssertionError(banner + stderr)
        self.url = url.group(1)
        self.port = int(self.url.rsplit(":", 1)[1])
        self.token = token.group(1)
        self.client = httpx.Client(
            base_url=self.url, headers={"authorization": f"Bearer {self.token}"}, timeout=30
        )

    def kill(self) -> None:
        """SIGKILL: no snapshot, no clean close."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        if hasattr(self, "client"):
            self.client.close()
        self.kill()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@contextmanager
def serving(path: Path, *options: str, port: int = 0) -> Iterator[StateServer]:
    server = StateServer(path, *options, port=port)
    try:
        yield server
    finally:
        server.close()
