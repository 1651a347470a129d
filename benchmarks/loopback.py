"""Any ASGI app on a loopback uvicorn thread, configured exactly as fakehub's own server.

Every benchmark serves its subject and its reference (the trivial Starlette app) through this one
class, so a ratio never hides a difference in how the two were served.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn

from fakehub.server import uvicorn_config


class Served:
    def __init__(self, app: Any) -> None:
        self.server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", 0))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
