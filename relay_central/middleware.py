"""Request bodies: size limits and gzip decoding; responses: gzip for JSON when asked.

Both work on raw ASGI messages so that an oversized or corrupt body is refused before any
endpoint (and any transaction) sees it.
"""

from __future__ import annotations

import zlib

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relay_app.i18n import _
from relay_app.sync.wire import API_PREFIX
from relay_central.errors import error_response
from relay_central.settings import Settings

UPLOADS_PREFIX = f"{API_PREFIX}/attachments/uploads"
DOWNLOADS_PREFIX = f"{API_PREFIX}/attachments/"
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class RequestBodyMiddleware:
    """Refuse bodies over the limit (413) and undo `Content-Encoding: gzip` (400 if corrupt).

    Upload chunks (tus PATCH) are streamed through untouched: the upload endpoint bounds them.
    Everything else is small JSON, read here in full so that its size is known before use.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        is_chunk = scope["method"] == "PATCH" and scope["path"].startswith(UPLOADS_PREFIX)
        limit = self.settings.max_chunk_bytes if is_chunk else self.settings.max_body_bytes
        try:
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise _too_large(limit)
            if is_chunk:
                await self.app(scope, receive, send)
                return
            encoding = headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("identity", "gzip"):
                raise _Refused(
                    415,
                    "unsupported_encoding",
                    _("Request bodies may be sent plain or gzip-compressed."),
                )
            body = await _read_body(receive, limit)
            if encoding == "gzip":
                body = _gunzip(body, self.settings.max_decompressed_bytes)
        except _Refused as refused:
            response = error_response(refused.status, refused.code, refused.message)
            await response(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [
            (name, value)
            for name, value in scope["headers"]
            if name not in (b"content-encoding", b"content-length")
        ] + [(b"content-length", str(len(body)).encode("ascii"))]
        await self.app(scope, _replay(body, receive), send)


def _too_large(limit: int) -> _Refused:
    return _Refused(
        413,
        "body_too_large",
        _("The request is larger than the server accepts ({limit} bytes); send smaller "
          "batches.").format(limit=limit),
    )


async def _read_body(receive: Receive, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Refused(400, "incomplete_body", _("The request body was cut short."))
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


def _gunzip(body: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(_GZIP_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
        if len(data) > limit:
            raise _Refused(
                413,
                "body_too_large",
                _("The request is larger than the server accepts once decompressed."),
            )
        if not inflater.eof or inflater.unused_data:
            raise zlib.error("truncated or trailing data")
    except zlib.error:
        raise _Refused(
            400, "bad_gzip", _("The request body is not valid gzip data.")
        ) from None
    return data


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class JsonGzipMiddleware:
    """gzip answers for clients that accept it, except attachment downloads (Range must see the
    file's own bytes, and photos do not shrink)."""

    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        self.app = app
        self.compressing = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        is_download = path.startswith(DOWNLOADS_PREFIX) and scope.get("method") in ("GET", "HEAD")
        if is_download:
            await self.app(scope, receive, send)
        else:
            await self.compressing(scope, receive, send)
