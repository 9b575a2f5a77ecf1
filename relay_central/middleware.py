"""Request bodies: who may send one, size limits and gzip decoding; gzip for JSON answers.

Both work on raw ASGI messages so that an oversized or corrupt body is refused before any
endpoint (and any transaction) sees it.
"""

from __future__ import annotations

import zlib

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relay_app.i18n import _
from relay_app.sync.wire import API_PREFIX, PROTOCOL_HEADER
from relay_central.auth import ADMITTED_ACTOR, authenticate
from relay_central.db import Database
from relay_central.errors import ApiError
from relay_central.protocol import check_protocol
from relay_central.settings import Settings

UPLOADS_PREFIX = f"{API_PREFIX}/attachments/uploads"
DOWNLOADS_PREFIX = f"{API_PREFIX}/attachments/"
SYNC_PREFIX = f"{API_PREFIX}/sync/"
# The one API endpoint a device calls before it has a token.
ENROL_PATH = f"{API_PREFIX}/enroll"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
# Bodies smaller than this are checked on the event loop: a thread hop costs more.
_IN_PLACE_BYTES = 64 * 1024


class RequestBodyMiddleware:
    """Admit the sender, then read: a body is only read (and inflated) once it may be used.

    1. API requests with a body must carry a supported `Relay-Protocol` (426) and, except
       enrolment, a valid device token (401), both checked before a byte of the body is read:
       an anonymous request costs a header check and one indexed lookup, whatever it carries.
       The device found is handed to the endpoint (`auth.current_actor`), not looked up again.
    2. Bodies over the limit are refused (413): on the wire, once `Content-Encoding: gzip` is
       undone (400 if corrupt), and by their count of JSON values. Bodies without a token get a
       small limit.

    Upload chunks (tus PATCH) are streamed through untouched once admitted: the upload endpoint
    bounds them. Everything else is small JSON, read here in full so that its size is known
    before use. GET, HEAD and OPTIONS carry no body: their endpoints check the token themselves.
    """

    def __init__(self, app: ASGIApp, settings: Settings, database: Database) -> None:
        self.app = app
        self.settings = settings
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        settings = self.settings
        path: str = scope["path"]
        is_chunk = scope["method"] == "PATCH" and path.startswith(UPLOADS_PREFIX)
        try:
            anonymous = await self._admit(scope, headers)
            if anonymous:
                limit = inflated_limit = settings.max_anonymous_body_bytes
            else:
                limit = settings.max_chunk_bytes if is_chunk else settings.max_body_bytes
                inflated_limit = settings.max_decompressed_bytes
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise _too_large(limit)
            if is_chunk:
                await self.app(scope, receive, send)
                return
            encoding = headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("identity", "gzip"):
                raise ApiError(
                    415,
                    "unsupported_encoding",
                    _("Request bodies may be sent plain or gzip-compressed."),
                )
            body = await _read_body(receive, limit)
            if encoding == "identity" and len(body) < _IN_PLACE_BYTES:
                _check_json_size(body, settings)
            else:
                # Off the event loop: zlib lets go of the GIL while it inflates (a small gzip body
                # may inflate to megabytes), so other requests run meanwhile.
                body = await run_in_threadpool(
                    _inflate_and_check, body, encoding, settings, inflated_limit
                )
        except ApiError as refused:
            await refused.response()(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [
            (name, value)
            for name, value in scope["headers"]
            if name not in (b"content-encoding", b"content-length")
        ] + [(b"content-length", str(len(body)).encode("ascii"))]
        await self.app(scope, _replay(body, receive), send)

    async def _admit(self, scope: Scope, headers: Headers) -> bool:
        """Refuse (ApiError) a sender the endpoint would refuse; True when no token is needed.

        The checks and their order are those of the routers' own dependencies
        (`protocol.require_protocol` on sync, `accept_protocol` elsewhere, then the token).
        """
        path: str = scope["path"]
        if not path.startswith(f"{API_PREFIX}/"):
            return True
        check_protocol(
            self.settings, headers.get(PROTOCOL_HEADER), required=path.startswith(SYNC_PREFIX)
        )
        if path.rstrip("/") == ENROL_PATH:
            return True
        actor = await run_in_threadpool(authenticate, self.database, headers.get("authorization"))
        state = scope.setdefault("state", {})
        state[ADMITTED_ACTOR] = actor
        state["relay"] = actor.email
        return False


def _inflate_and_check(
    body: bytes, encoding: str, settings: Settings, inflated_limit: int
) -> bytes:
    if encoding == "gzip":
        body = _gunzip(body, inflated_limit)
    _check_json_size(body, settings)
    return body


def _check_json_size(body: bytes, settings: Settings) -> None:
    if has_more_json_values(body, settings.max_json_values):
        raise ApiError(
            413,
            "body_too_large",
            _("The request holds more values than the server accepts ({limit}); send "
              "smaller batches.").format(limit=settings.max_json_values),
        )


def has_more_json_values(body: bytes, limit: int) -> bool:
    """Whether `body`, parsed as JSON, could hold more than `limit` values, found without
    parsing it (parsing is what costs: ~100 bytes of memory and a microsecond or two per value).

    A container of n > 0 items holds n - 1 commas, so values <= 1 + commas + containers. Counted
    over the whole body that bound runs at memory speed but also counts the punctuation of
    text; when it says too many, it is counted again outside strings (a body with more strings
    than the limit is refused on that alone). Either way the count never falls below what a
    parser would build: past the first byte a parser would refuse, nothing more is built.
    """
    if _value_bound(body) <= limit:
        return False
    if body.count(b'"') > 2 * (limit + 1):
        return True
    return _value_bound(_outside_strings(body)) > limit


def _value_bound(body: bytes) -> int:
    return 1 + body.count(b",") + body.count(b"{") + body.count(b"[")


def _outside_strings(body: bytes) -> bytes:
    """`body` without the contents of its JSON strings: escaped backslashes, then escaped quotes
    removed, what remains between quotes is string content."""
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(unescaped.split(b'"')[0::2])


def _too_large(limit: int) -> ApiError:
    return ApiError(
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
            raise ApiError(400, "incomplete_body", _("The request body was cut short."))
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
            raise ApiError(
                413,
                "body_too_large",
                _("The request is larger than the server accepts once decompressed."),
            )
        if not inflater.eof or inflater.unused_data:
            raise zlib.error("truncated or trailing data")
    except zlib.error:
        raise ApiError(
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
