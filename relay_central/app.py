"""The FastAPI application: routes, JSON errors, limits, gzip and request logs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from relay_app.i18n import _
from relay_app.sync.wire import MAX_BATCH_CHANGES, MAX_MISSING_HASHES, PROTOCOL_VERSION
from relay_central import api, attachments, tus
from relay_central.attempts import AttemptLimiter
from relay_central.db import Database
from relay_central.errors import ApiError, error_response
from relay_central.failures import UnexpectedErrorMiddleware
from relay_central.logging import RequestLogMiddleware
from relay_central.middleware import JsonGzipMiddleware, RequestBodyMiddleware
from relay_central.migrate import upgrade
from relay_central.server_timing import ServerTimingMiddleware
from relay_central.settings import Settings

# Every code is one docs/sync-protocol.md lists; other statuses answer `bad_request` (4xx) or
# `internal_error` (5xx).
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
}


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    """Build the server for ``settings``; with ``migrate`` the database is upgraded first."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.attachments_dir.mkdir(parents=True, exist_ok=True)
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.database_url)
    if migrate:
        upgrade(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="Relay central server",
        summary=f"Sync protocol {PROTOCOL_VERSION} for the Relay desktop app",
        version=str(PROTOCOL_VERSION),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.enrolment_attempts = AttemptLimiter(settings.enrolment_attempts_per_minute)
    _install_error_handlers(app)
    app.include_router(api.sync_router)
    app.include_router(api.enrol_router)
    app.include_router(tus.router)
    app.include_router(attachments.router)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        with database.reading() as session:
            session.connection().exec_driver_sql("SELECT 1")
        return {"status": "ok"}

    # Outermost last: the log line sees every answer, even a refused body.
    app.add_middleware(RequestBodyMiddleware, settings=settings, database=database)
    app.add_middleware(JsonGzipMiddleware, minimum_size=settings.gzip_minimum_bytes)
    # Outside gzip (compressing is the server's work) and body checks (which wait for the body).
    app.add_middleware(ServerTimingMiddleware)
    app.add_middleware(RequestLogMiddleware)
    # Outside the log line too: a failure is answered (and logged without data) here, not by uvicorn.
    app.add_middleware(UnexpectedErrorMiddleware)
    return app


def _too_long_list(problems: Sequence[Any]) -> Response | None:
    """A list the schema bounds, refused by its length alone: "send less at a time" (413)."""
    for problem in problems:
        if problem.get("type") != "too_long":
            continue
        location = tuple(problem.get("loc", ()))
        if location == ("body", "changes"):
            return error_response(
                413,
                "batch_too_large",
                _("A batch may hold at most {limit} changes; send smaller batches.").format(
                    limit=MAX_BATCH_CHANGES
                ),
            )
        if location == ("body", "hashes"):
            return error_response(
                413,
                "too_many_hashes",
                _("Ask about at most {limit} files at a time.").format(limit=MAX_MISSING_HASHES),
            )
    return None


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> Response:
        return error.response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> Response:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return error_response(400, "bad_json", _("The request body is not valid JSON."))
        if (too_long := _too_long_list(problems)) is not None:
            return too_long
        details = [
            {
                "location": ".".join(str(part) for part in problem.get("loc", ())),
                "message": problem.get("msg", ""),
            }
            for problem in problems
        ]
        return error_response(
            422,
            "invalid_request",
            _("The request does not follow the sync protocol: {details}").format(
                details="; ".join(f"{d['location']}: {d['message']}" for d in details[:5])
            ),
            details=details,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> Response:
        fallback = "bad_request" if error.status_code < 500 else "internal_error"
        code = _STATUS_CODES.get(error.status_code, fallback)
        return error_response(
            error.status_code, code, str(error.detail), dict(error.headers or {})
        )

