"""Attachment endpoints: which files the server lacks, and downloads (with HTTP Range).

A file is served only to a device that may read a live link naming it, by the rules pulls follow
(`readable.py`): holding a hash is not enough.
"""

from __future__ import annotations

import os
import re
from email.utils import formatdate
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable

from relay_app.forms.media_types import servable_media_type
from relay_app.i18n import _
from relay_app.sync.wire import (
    API_PREFIX,
    PROTOCOL_HEADER,
    ErrorBody,
    MissingRequest,
    MissingResponse,
    ProtocolError,
)
from relay_central import scope
from relay_central.auth import Actor, current_actor
from relay_central.blobs import blob_path
from relay_central.errors import ApiError
from relay_central.models import Attachment, Record
from relay_central.protocol import accept_protocol, check_protocol
from relay_central.readable import readable_records
from relay_central.routing import ThreadParsedJsonRoute

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A download is never shown inline by a browser, nor read as another type than the one sent.
_SAFE_FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Disposition": "attachment"}

_BINARY = {"schema": {"type": "string", "format": "binary"}}

router = APIRouter(
    prefix=f"{API_PREFIX}/attachments",
    dependencies=[Depends(accept_protocol)],
    responses={
        401: {"model": ErrorBody},
        404: {"model": ErrorBody},
        426: {"model": ProtocolError},
    },
    route_class=ThreadParsedJsonRoute,
)
CurrentActor = Annotated[Actor, Depends(current_actor)]


@router.post(
    "/missing",
    response_model=MissingResponse,
    responses={
        400: {"model": ErrorBody, "description": "`bad_json`, `bad_gzip`."},
        413: {"model": ErrorBody, "description": "`too_many_hashes`, `body_too_large`."},
        415: {"model": ErrorBody, "description": "`unsupported_encoding`."},
        422: {"model": ErrorBody, "description": "`invalid_request`."},
    },
)
def missing(body: MissingRequest, request: Request, actor: CurrentActor) -> Response:
    """More than MAX_MISSING_HASHES hashes are refused by the schema (413 `too_many_hashes`)."""
    wanted = list(dict.fromkeys(body.hashes))
    with request.app.state.database.reading() as session:
        held = set(session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(wanted))))
    answer = MissingResponse(missing=[sha for sha in wanted if sha not in held])
    return Response(answer.model_dump_json(), media_type="application/json")


def may_download(session: Session, actor: Actor, protocol: int, sha256: str) -> bool:
    """True when a live file link naming ``sha256`` is among the records ``actor`` may read."""
    link = (
        readable_records(actor, protocol)
        .where(
            Record.kind == scope.ATTACHMENTS,
            Record.deleted.is_(False),
            Record.values["sha256"].as_string() == sha256,
        )
        .limit(1)
    )
    return session.scalars(link).first() is not None


@router.get(
    "/{sha256}",
    response_class=FileResponse,
    responses={
        200: {"description": "The file's bytes, as an attachment with its stored media type.",
              "content": {"*/*": _BINARY}},
        206: {"description": "The requested byte range(s) of the file.",
              "content": {"*/*": _BINARY}},
        400: {"model": ErrorBody, "description": "`bad_range`: a Range header that does not parse."},
        416: {"model": ErrorBody,
              "description": "`range_not_satisfiable`: the range starts past the end of the file."},
    },
)
def download(sha256: str, request: Request, actor: CurrentActor) -> FileResponse:
    if not _SHA256.match(sha256):
        raise ApiError(404, "not_found", _("No such file."))
    settings = request.app.state.settings
    # Without the header the app speaks the newest protocol (only protocol 2 knows file links).
    protocol = check_protocol(settings, request.headers.get(PROTOCOL_HEADER), required=False)
    with request.app.state.database.reading() as session:
        attachment = session.get(Attachment, sha256)
        readable = attachment is not None and may_download(
            session, actor, protocol or settings.protocol_max, sha256
        )
    path = blob_path(settings, sha256)
    if not readable or not path.is_file():
        # The same answer whether the file is missing or not for this device: nothing leaks.
        raise ApiError(404, "not_found", _("The server does not have this file."))
    assert attachment is not None
    stat = os.stat(path)
    etag = f'"{sha256}"'
    _check_range(request, etag, stat)
    # Content never changes under its hash: the hash is a strong validator forever.
    return FileResponse(
        path,
        media_type=servable_media_type(attachment.media_type),
        stat_result=stat,
        headers={
            "ETag": etag,
            "Cache-Control": "private, max-age=31536000, immutable",
            **_SAFE_FILE_HEADERS,
        },
    )


def _check_range(request: Request, etag: str, stat: os.stat_result) -> None:
    """Answer a Range the file response would refuse as JSON, as every other 4xx (400/416)."""
    wanted = request.headers.get("range")
    if wanted is None:
        return
    condition = request.headers.get("if-range")
    # As the file response decides: a stale If-Range means the whole file, whatever the Range.
    if condition is not None and condition not in (etag, formatdate(stat.st_mtime, usegmt=True)):
        return
    try:
        FileResponse._parse_range_header(wanted, stat.st_size)
    except MalformedRangeHeader:
        raise ApiError(400, "bad_range", _("The Range header could not be read.")) from None
    except RangeNotSatisfiable:
        raise ApiError(
            416,
            "range_not_satisfiable",
            _("The requested range starts past the end of the file ({size} bytes).").format(
                size=stat.st_size),
            headers={"Content-Range": f"bytes */{stat.st_size}"},
        ) from None
