"""A real ``fakehub serve --state`` under concurrent load, SIGKILLed, restarted on the same file."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CLIENTS = 4
KILL_AFTER = 60  # acknowledged writes before the kill


@contextmanager
def _serve(path: Path) -> Iterator[tuple[subprocess.Popen[str], httpx.Client]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "serve", "--state", str(path), "--port", "0",
         "--clock", "manual"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    banner = ""
    for line in process.stdout:
        banner += line
        if "state:" in line:
            break
    url = re.search(r"at (http://\S+)", banner)
    token = re.search(r"write token\s+(\S+)", banner)
    assert url and token, banner + (process.stderr.read() if process.stderr else "")
    client = httpx.Client(
        base_url=url.group(1), headers={"authorization": f"Bearer {token.group(1)}"}, timeout=30
    )
    try:
        yield process, client
    finally:
        client.close()
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


class Load:
    """Bounded concurrent writers that note what was acknowledged and what was refused."""

    def __init__(self, base_url: str, headers: httpx.Headers) -> None:
        self.base_url, self.headers = base_url, headers
        self.lock = threading.Lock()
        self.spaces: set[str] = set()
        self.jobs: set[str] = set()
        self.refused: set[str] = set()
        self.enough = threading.Event()

    def writer(self, index: int) -> None:
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30) as client:
            for step in range(10_000):
                try:
                    self._one(client, index, step)
                except httpx.HTTPError:
                    return  # the server is gone: this write was never acknowledged

    def _one(self, client: httpx.Client, index: int, step: int) -> None:
        name = f"s{index}-{step}"
        if step % 3 == 2:  # refused: an sdk the Hub does not have
            body = {"type": "space", "name": name, "sdk": "cobol"}
            if client.post("/api/repos/create", json=body).status_code == 400:
                with self.lock:
                    self.refused.add(name)
            return
        if step % 3 == 1:
            job = {"command": ["echo", name], "flavor": "cpu-basic", "dockerImage": "python:3.12"}
            response = client.post("/api/jobs/fakeuser", json=job)
            if response.status_code == 200:
                self._acknowledged(self.jobs, response.json()["id"])
            return
        response = client.post(
            "/api/repos/create", json={"type": "space", "name": name, "sdk": "gradio"}
        )
        if response.status_code == 200:
            self._acknowledged(self.spaces, f"fakeuser/{name}")

    def _acknowledged(self, into: set[str], item: str) -> None:
        with self.lock:
            into.add(item)
            if len(self.spaces) + len(self.jobs) >= KILL_AFTER:
                self.enough.set()


def test_sigkill_mid_load_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with _serve(path) as (process, client):
        load = Load(str(client.base_url), client.headers)
        threads = [threading.Thread(target=load.writer, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        assert load.enough.wait(timeout=120)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for thread in threads:
            thread.join(timeout=60)
    with load.lock:
        spaces, jobs, refused = set(load.spaces), set(load.jobs), set(load.refused)
    assert len(spaces) + len(jobs) >= KILL_AFTER and refused
    with _serve(path) as (_, client):
        listed = {s["id"] for s in client.get("/api/spaces", params={"author": "fakeuser"}).json()}
        found_jobs = {j["id"] for j in client.get("/api/jobs/fakeuser").json()}
    assert spaces <= listed
    assert jobs <= found_jobs
    assert not {f"fakeuser/{name}" for name in refused} & listed
