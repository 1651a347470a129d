
import sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

async def anything(request):
    await request.body()
    if request.url.path.endswith("/logs") or "/logs/" in request.url.path:
        return Response(b'data: {"data":"hi"}\n\n', media_type="text/event-stream")
    if request.url.path.endswith("/secrets") and request.method == "POST":
        return JSONResponse({"error": "refused"}, status_code=400)
    return JSONResponse({"id": "0" * 24, "name": "fakeuser", "stage": "RUNNING"})

app = Starlette(routes=[Route("/{p:path}", anything, methods=["GET", "POST", "DELETE"])])
config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
server = uvicorn.Server(config)

async def main():
    import asyncio
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    print(f"serving at http://127.0.0.1:{port}", flush=True)
    await task

import asyncio
asyncio.run(main())
