"""The replay side: a recorded answer back on the wire, and the error for a request with none.

The answer is the recorded one: status, headers (``Date`` and ``X-Request-Id`` included: replay
never stamps its own), body, and for streams the recorded events, sent at once. A stream the
client left open while recording (``end: open``) is held open after its events until the client
leaves, as the upstream did.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.responses import Response as StarletteResponse

from fakehub.recording import cassette as fmt
from fakehub.recording.proxy import plain_response
from fakehub.recording.streaming import StreamOut
from fakehub.recording.wire import map_response, unfold_headers
from fakehub.wire.responses import HubJSONResponse

#: the status of "the cassette holds no answer for this request". 501 Not Implemented: no client
#: version retries it, none maps it to a misleading exception (404 would become
#: RepositoryNotFoundError or JobNotFoundError), and every version shows the body's message.
MISS_STATUS = 501
MISS_CODE = "CassetteMiss"


def replay_response(response: fmt.Response, origin: str) -> StarletteResponse:
    """``response`` as recorded, ``${endpoint}`` replaced by the base URL the client used."""
    answer = map_response(response, lambda s: s.replace(fmt.ENDPOINT, origin))
    headers = unfold_headers(answer.headers)
    if answer.events is None:
        return plain_response(answer.status, headers, answer.body_bytes())
    frames = [event.frame() for event in answer.events]

    async def chunks() -> AsyncIterator[bytes]:
        for frame in frames:
            yield frame

    return StreamOut(answer.status, headers, chunks(), hold_open=answer.end == "open")


def miss_response(message: str) -> StarletteResponse:
    # No X-Error-Message: every client shows the body's "error" verbatim, multi-line included.
    return HubJSONResponse(
        {"error": message}, status_code=MISS_STATUS, headers={"X-Error-Code": MISS_CODE}
    )
