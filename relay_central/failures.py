"""What the server says of a failure: where it happened and what kind it was, never the data.

Exception texts carry data: SQLAlchemy's the statement's parameters (hidden too, see
`relay_central.db`), PostgreSQL's its DETAIL and CONTEXT lines (a refused row, a JSON document),
pydantic's the input it refused. So a failure is logged as its exception types, its SQLSTATE and
the code locations it passed through, and an unexpected one is answered here, so that it never
reaches uvicorn, whose own log line would print the full text.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

from sqlalchemy import exc
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relay_app.i18n import _

logger = logging.getLogger("relay_central")

# The database (or the connection to it) failed, not the data of one change: the whole request
# fails, and the client sends it again later.
_DATABASE_FAILURES = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.InternalError,
    exc.DisconnectionError,
    exc.TimeoutError,
)
# Innermost frames shown: enough to find the line, short enough for one log entry.
FRAMES_SHOWN = 12


def is_database_failure(error: BaseException) -> bool:
    return isinstance(error, _DATABASE_FAILURES)


def describe(error: BaseException) -> dict[str, Any]:
    """Log fields for ``error``: its type and causes, SQLSTATE, and where it was raised."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    frames = traceback.extract_tb(error.__traceback__)[-FRAMES_SHOWN:]
    details: dict[str, Any] = {
        "error_type": " <- ".join(_qualified_name(item) for item in chain),
        "where": [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames],
    }
    sqlstate = next((code for item in chain if (code := _sqlstate(item))), None)
    if sqlstate is not None:
        details["sqlstate"] = sqlstate
    return details


def _qualified_name(error: BaseException) -> str:
    kind = type(error)
    return f"{kind.__module__}.{kind.__qualname__}"


def _sqlstate(error: BaseException) -> str | None:
    # psycopg names it `sqlstate`; SQLAlchemy wraps the driver's error as `orig`.
    code = getattr(error, "sqlstate", None) or getattr(getattr(error, "orig", None), "sqlstate", None)
    return code if isinstance(code, str) else None


class UnexpectedErrorMiddleware:
    """Answers 500 `internal_error` for any failure no handler answered, logging `describe`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as error:
            logger.error("unexpected error", extra={"path": scope["path"], **describe(error)})
            if started:
                return  # the answer is under way; the connection ends it
            body = json.dumps({
                "error": "internal_error",
                "message": _("The server failed; try again later."),
            }).encode("utf-8")
            await send({
                "type": "http.response.start",
                "status": 500,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode("ascii"))],
            })
            await send({"type": "http.response.body", "body": body})
