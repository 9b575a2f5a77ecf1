"""How the tus endpoints appear in /openapi.json: the headers they read and answer, their errors.

The endpoints read their headers themselves (a missing `Tus-Resumable` is tus's 412, not a 422),
so the headers are described here rather than declared as FastAPI parameters. Like the sync
endpoints, they also take `Authorization: Bearer <token>` and, when sent, `Relay-Protocol`.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from relay_app.sync.wire import ErrorBody, ProtocolError

TUS_VERSION = "1.0.0"
_WHOLE_NUMBER = {"type": "string", "pattern": "^[0-9]{1,18}$"}


def _header(name: str, description: str, schema: dict[str, Any] | None = None,
            *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _answered(description: str, **headers: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {name: {"description": text, "schema": {"type": "string"}}
                    for name, text in headers.items()},
    }


def _error(codes: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": codes}


TUS_RESUMABLE = _header("Tus-Resumable", "The tus version spoken: 1.0.0 (else 412 `tus_version`).",
                        {"type": "string", "enum": [TUS_VERSION]}, required=True)

# Errors any authenticated tus request may meet.
_COMMON: dict[int | str, dict[str, Any]] = {
    401: _error("`unauthorized`, `revoked`: no usable device token."),
    412: _error("`tus_version`: the request does not speak tus 1.0.0."),
    426: {"model": ProtocolError, "description": "`protocol_*`: see the sync protocol."},
}
_EXPIRES = "When the upload is forgotten if nothing more arrives (tus expiration extension)."

CAPABILITIES: dict[str, Any] = {
    "response_class": Response,  # no body: its answer is in its headers
    "status_code": 204,
    "responses": {
        204: _answered(
            "What this tus server supports.",
            **{"Tus-Version": "1.0.0", "Tus-Extension": "The tus extensions supported.",
               "Tus-Checksum-Algorithm": "sha1,sha256",
               "Tus-Max-Size": "The largest file accepted, in bytes."}),
        426: _COMMON[426],
    },
}

CREATE: dict[str, Any] = {
    "response_class": Response,  # no body: its answer is in its headers
    "status_code": 201,
    "openapi_extra": {"parameters": [
        TUS_RESUMABLE,
        _header("Upload-Length", "The file's size in bytes: ASCII digits.", _WHOLE_NUMBER,
                required=True),
        _header("Upload-Metadata", "`sha256 <base64 of the hex hash>,media_type <base64 of a "
                "type/subtype>` (`filetype` is read as media_type).", required=True),
    ]},
    "responses": {
        201: _answered("The upload (a new one, or this device's open one for the same file).",
                       **{"Location": "The upload's address.",
                          "Upload-Offset": "The bytes the server holds of it.",
                          "Upload-Expires": _EXPIRES}),
        400: _error("`bad_header`, `bad_metadata`."),
        409: _error("`already_stored`: the server holds this file; nothing to upload."),
        413: _error("`upload_too_large`; `upload_quota` (with `limit`, the bound reached)."),
        460: _error("`file_checksum_mismatch`: an empty file (`Upload-Length: 0`) whose sha256 "
                    "is not the one declared."),
        **_COMMON,
    },
}

OFFSET: dict[str, Any] = {
    "response_class": Response,  # no body: its answer is in its headers
    "openapi_extra": {"parameters": [TUS_RESUMABLE]},
    "responses": {
        200: _answered("Where the upload stands.",
                       **{"Upload-Offset": "The bytes the server holds.",
                          "Upload-Length": "The file's size.",
                          "Upload-Expires": _EXPIRES, "Cache-Control": "no-store"}),
        404: _error("`not_found`: unknown, another device's, finished, expired or abandoned."),
        **_COMMON,
    },
}

APPEND: dict[str, Any] = {
    "response_class": Response,  # no body: its answer is in its headers
    "status_code": 204,
    "openapi_extra": {
        "parameters": [
            TUS_RESUMABLE,
            _header("Upload-Offset", "Where this chunk goes: the server's offset, ASCII digits.",
                    _WHOLE_NUMBER, required=True),
            _header("Upload-Checksum", "`sha1 <base64 digest>` or `sha256 <base64 digest>` of "
                    "the chunk."),
        ],
        "requestBody": {
            "required": True,
            "content": {"application/offset+octet-stream": {
                "schema": {"type": "string", "format": "binary"}}},
        },
    },
    "responses": {
        204: _answered("The chunk is stored.",
                       **{"Upload-Offset": "The new offset.", "Upload-Expires": _EXPIRES}),
        400: _error("`bad_header`, `checksum_algorithm`, `bad_checksum`, `bad_gzip`."),
        404: OFFSET["responses"][404],
        409: _error("`offset_mismatch` (with the server's `Upload-Offset`)."),
        413: _error("`chunk_too_large`, `body_too_large`."),
        415: _error("`content_type`, `unsupported_encoding`."),
        460: _error("`checksum_mismatch`: the chunk was not kept; `file_checksum_mismatch`: the "
                    "whole file did not match its sha256 and the upload is gone."),
        **_COMMON,
    },
}

TERMINATE: dict[str, Any] = {
    "response_class": Response,  # no body: its answer is in its headers
    "status_code": 204,
    "openapi_extra": {"parameters": [TUS_RESUMABLE]},
    "responses": {
        204: _answered("The upload is abandoned."),
        404: OFFSET["responses"][404],
        **_COMMON,
    },
}
