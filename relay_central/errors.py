"""JSON errors: every 4xx/5xx answer is `{"error": code, "message": human text}`."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

# A 422 answer lists this many problems at most, and counts them all in `error_count`: the answer
# to a request with countless mistakes stays small.
MAX_ERROR_DETAILS = 10


class ApiError(Exception):
    """Raised anywhere in a request to answer with a JSON error."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def response(self) -> JSONResponse:
        return error_response(self.status, self.code, self.message, self.headers, **self.extra)


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    details = extra.get("details")
    if isinstance(details, list):
        extra = {**extra, "details": details[:MAX_ERROR_DETAILS], "error_count": len(details)}
    return JSONResponse({"error": code, "message": message, **extra}, status, headers=headers)
