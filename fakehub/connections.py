"""Connection limits: a client that sends nothing, or half a request, does not hold a socket.

uvicorn's h11 protocol closes a connection idle *between* requests (``timeout_keep_alive``), but
waits forever for a request that never comes or never completes. :class:`GuardedH11Protocol`
adds the missing timer, with one rule per phase of a request:

* **headers**: from the moment the connection opens (or the first byte of the next request on a
  kept-alive connection) the request line and headers must be complete within
  ``request_timeout`` seconds — a deadline, not reset by each byte, so a client trickling a
  header byte at a time is dropped too;
* **body**: once the headers are in, the connection may stay silent for at most
  ``request_timeout`` seconds at a time (reset by every chunk, so a large upload is fine);
* between requests, uvicorn's keep-alive timer applies as before.

A client dropped with part of a request sent gets a ``408`` first (JSON, the Hub's error
shape); one that sent nothing is simply closed, as the keep-alive timer does.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

#: seconds a client has to send a complete request head, or may stay silent in its body
DEFAULT_REQUEST_TIMEOUT = 10.0


class GuardedH11Protocol(H11Protocol):
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request_timer: asyncio.TimerHandle | None = None
        self._partial = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        waiting_for_head = self.conn.their_state is h11.IDLE
        if waiting_for_head and self._request_timer is None:
            self._arm()  # the next request on a kept-alive connection starts its deadline
        self._partial = True
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._arm()  # body: silence is measured from the last chunk
        elif state is not h11.IDLE:
            self._disarm()  # the request is complete (or the connection is done)
            self._partial = False

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # between requests the keep-alive timer rules
        self._partial = False

    def _arm(self) -> None:
        self._disarm()
        self._request_timer = self.loop.call_later(self.request_timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
            self._request_timer = None

    def _timed_out(self) -> None:
        self._request_timer = None
        if self.transport.is_closing():
            return
        if self.flow.read_paused:
            self._arm()  # the app is not reading the body yet: the client is not to blame
            return
        if self._partial and self.conn.our_state is h11.IDLE:
            self.transport.write(_timeout_answer(self.request_timeout))
        self.transport.close()


def _timeout_answer(seconds: float) -> bytes:
    body = json.dumps(
        {"error": f"Request Timeout: the request was not complete after {seconds:g} s"}
    ).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    return head + body


def guarded_protocol(request_timeout: float) -> type[GuardedH11Protocol]:
    """The protocol class for uvicorn's ``http=`` setting, with this timeout."""
    name = f"GuardedH11Protocol_{request_timeout:g}s"
    return type(name, (GuardedH11Protocol,), {"request_timeout": request_timeout})
