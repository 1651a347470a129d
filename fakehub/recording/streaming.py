"""A streaming ASGI response that notices when the client leaves, and always runs its epilogue.

Used for SSE both ways: the recorder forwards an upstream stream chunk by chunk and must record
it even when the client hangs up mid-stream; the replayer holds a stream open (as recorded) until
the client leaves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send


class StreamOut(Response):
    def __init__(
        self,
        status_code: int,
        headers: list[tuple[str, str]],
        source: AsyncIterator[bytes],
        *,
        finish: Callable[[bool], Awaitable[None]] | None = None,
        hold_open: bool = False,
    ) -> None:
        self.status_code = status_code
        self.source = source
        self.finish = finish
        #: after the last chunk, keep the connection open until the client leaves
        self.hold_open = hold_open
        self.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        completed = False
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(_watch_disconnect, receive, group.cancel_scope)
                await send(
                    {
                        "type": "http.response.start",
                        "status": self.status_code,
                        "headers": self.raw_headers,
                    }
                )
                async for chunk in self.source:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                completed = True
                if self.hold_open:
                    await anyio.sleep_forever()
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                group.cancel_scope.cancel()
        except OSError:
            pass  # the client went away while we were writing: same as a disconnect
        finally:
            if self.finish is not None:
                with anyio.CancelScope(shield=True):
                    await self.finish(completed)


async def _watch_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            scope.cancel()
            return
