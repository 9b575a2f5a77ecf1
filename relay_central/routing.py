"""Routes whose JSON bodies are parsed in the thread pool, not on the event loop.

FastAPI reads and parses a declared body (`await request.json()`, that is `json.loads`) on the
event loop before it calls even a sync endpoint in the thread pool. A push of several megabytes
takes tens of milliseconds to parse; done on the loop, every other request (`/healthz` included)
waits that long. The body is already bounded by RequestBodyMiddleware; this moves its parsing
off the loop. Validation of the parsed value stays with FastAPI, bounded by the schema's limits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

# Bodies smaller than this are parsed in place: a thread hop costs more than parsing them.
_THREADED_PARSE_BYTES = 64 * 1024


class _ThreadParsedRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_parsed_json"):
            body = await self.body()
            if len(body) < _THREADED_PARSE_BYTES:
                self._parsed_json = json.loads(body)
            else:
                self._parsed_json = await run_in_threadpool(json.loads, body)
        return self._parsed_json


class ThreadParsedJsonRoute(APIRoute):
    """An APIRoute whose request body is parsed off the event loop (see the module's note)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def parsed_off_the_loop(request: Request) -> Response:
            return await handler(_ThreadParsedRequest(request.scope, request.receive))

        return parsed_off_the_loop
