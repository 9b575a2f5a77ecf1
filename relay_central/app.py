"""The FastAPI application: routes, JSON errors, limits, gzip and request logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from relay_app.i18n import _
from relay_app.sync.wire import PROTOCOL_VERSION
from relay_central import api, attachments, tus
from relay_central.db import Database
from relay_central.errors import ApiError, error_response
from relay_central.logging import RequestLogMiddleware
from relay_central.middleware import JsonGzipMiddleware, RequestBodyMiddleware
from relay_central.migrate import upgrade
from relay_central.settings import Settings

logger = logging.getLogger("relay_central")

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
    app.add_middleware(RequestBodyMiddleware, settings=settings)
    app.add_middleware(JsonGzipMiddleware, minimum_size=settings.gzip_minimum_bytes)
    app.add_middleware(RequestLogMiddleware)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> Response:
        return error.response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> Response:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            return error_response(400, "bad_json", _("The request body is not valid JSON."))
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

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        logger.exception("unexpected error", extra={"path": request.url.path})
        return JSONResponse(
            {"error": "internal_error", "message": _("The server failed; try again later.")},
            500,
        )
