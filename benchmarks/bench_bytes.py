"""Benchmark: 100 MB through Xet and through LFS, against a plain loopback socket copy.

Not a test; run ``python benchmarks/bench_bytes.py`` (a few minutes). For each round:

* **loopback**: the same bytes sent to, then read back from, a bare TCP server on 127.0.0.1
  (the floor: no HTTP, no hashing, no storage);
* **xet**: ``HfApi.upload_file`` then ``hf_hub_download`` with huggingface_hub 2.4.0 and its
  native ``hf_xet`` (chunking, xorbs, shards; the fake verifies every hash);
* **lfs**: the same with ``HF_HUB_DISABLE_XET=1`` (LFS batch, multipart PUTs, sha256 check).

Each variant runs against a fresh ``fakehub`` server in its own process, so its peak memory
(``VmHWM`` in ``/proc/<pid>/status``) minus its memory at rest is what the transfer cost the
server. Times are medians of the rounds; ratios are against the loopback copy of the same run.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SIZE = 100 * 1000 * 1000
ROUNDS = 3
ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

SERVER = """
import sys, time
from fakehub import FakeHub, HubConfig
from fakehub.server import ServerThread
server = ServerThread(FakeHub(HubConfig()))
server.start()
print(server.url, flush=True)
sys.stdin.readline()
"""

CLIENT = """
import json, os, sys, tempfile, time
from huggingface_hub import HfApi, hf_hub_download
api = HfApi()
path, repo = sys.argv[1], "fakeuser/bench"
api.create_repo(repo, repo_type="space", space_sdk="gradio")
start = time.perf_counter()
api.upload_file(path_or_fileobj=path, path_in_repo="blob.bin", repo_id=repo, repo_type="space")
uploaded = time.perf_counter()
got = hf_hub_download(repo, "blob.bin", repo_type="space", cache_dir=tempfile.mkdtemp())
downloaded = time.perf_counter()
assert os.path.getsize(got) == os.path.getsize(path)
print(json.dumps({"up": uploaded - start, "down": downloaded - uploaded}))
"""


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found")


def run_fakehub(path: Path, *, xet: bool) -> dict[str, float]:
    server = subprocess.Popen(
        [PYTHON, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None and server.stdin is not None
    url = server.stdout.readline().strip()
    time.sleep(0.5)
    rest = _memory_kb(server.pid, "VmRSS")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    home = tempfile.mkdtemp(prefix="bench-hf-")
    env.update(HF_ENDPOINT=url, HF_TOKEN="hf_fake_write", HF_HOME=home)
    env.update(HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HUB_DISABLE_TELEMETRY="1")
    if not xet:
        env["HF_HUB_DISABLE_XET"] = "1"
    out = subprocess.run(
        [PYTHON, "-c", CLIENT, str(path)], env=env, capture_output=True, text=True, check=True
    )
    times: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    times["peak_mb"] = (_memory_kb(server.pid, "VmHWM") - rest) / 1024
    server.stdin.close()
    server.wait(timeout=30)
    return times


def run_loopback(data: bytes) -> dict[str, float]:
    """Send ``data`` to a bare TCP server on loopback, then read it back."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            received = 0
            while received < len(data):
                piece = conn.recv(1 << 20)
                if not piece:
                    return
                received += len(piece)
            conn.sendall(data)

    thread = threading.Thread(target=serve)
    thread.start()
    with socket.create_connection(("127.0.0.1", port)) as client:
        start = time.perf_counter()
        client.sendall(data)
        sent = time.perf_counter()
        received = 0
        while received < len(data):
            received += len(client.recv(1 << 20))
        back = time.perf_counter()
    thread.join()
    listener.close()
    return {"up": sent - start, "down": back - sent, "peak_mb": 0.0}


def main() -> None:
    data = random.Random(0).randbytes(SIZE)
    folder = Path(tempfile.mkdtemp(prefix="bench-bytes-"))
    path = folder / "blob.bin"
    path.write_bytes(data)
    results: dict[str, list[dict[str, float]]] = {"loopback": [], "xet": [], "lfs": []}
    for round_number in range(ROUNDS):
        results["loopback"].append(run_loopback(data))
        results["xet"].append(run_fakehub(path, xet=True))
        results["lfs"].append(run_fakehub(path, xet=False))
        print(f"round {round_number + 1} done", flush=True)
    floor = {k: statistics.median(r[k] for r in results["loopback"]) for k in ("up", "down")}
    print(f"{SIZE // 1_000_000} MB, {ROUNDS} rounds, medians")
    print("| path | upload | download | upload ratio | download ratio | server peak memory |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, rounds in results.items():
        up = statistics.median(r["up"] for r in rounds)
        down = statistics.median(r["down"] for r in rounds)
        peak = max(r["peak_mb"] for r in rounds)
        print(
            f"| {name} | {up:.2f} s | {down:.2f} s | {up / floor['up']:.0f}x | "
            f"{down / floor['down']:.0f}x | {peak:.0f} MB |"
        )


if __name__ == "__main__":
    main()
