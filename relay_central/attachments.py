"""Attachment endpoints: which files the server lacks, and downloads (with HTTP Range)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import select

from relay_app.i18n import _
from relay_app.sync.wire import API_PREFIX, ErrorBody, MissingRequest, MissingResponse
from relay_central.auth import Actor, current_actor
from relay_central.blobs import blob_path
from relay_central.errors import ApiError
from relay_central.models import Attachment
from relay_central.protocol import accept_protocol
from relay_central.routing import ThreadParsedJsonRoute

_SHA256 = re.compile(r"^[0-9a-f]{64}$")

router = APIRouter(
    prefix=f"{API_PREFIX}/attachments",
    dependencies=[Depends(accept_protocol)],
    responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}, 413: {"model": ErrorBody}},
    route_class=ThreadParsedJsonRoute,
)
CurrentActor = Annotated[Actor, Depends(current_actor)]


@router.post("/missing", response_model=MissingResponse)
def missing(body: MissingRequest, request: Request, actor: CurrentActor) -> Response:
    """More than MAX_MISSING_HASHES hashes are refused by the schema (413 `too_many_hashes`)."""
    wanted = list(dict.fromkeys(body.hashes))
    with request.app.state.database.reading() as session:
        held = set(session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(wanted))))
    answer = MissingResponse(missing=[sha for sha in wanted if sha not in held])
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get("/{sha256}", response_class=FileResponse)
def download(sha256: str, request: Request, actor: CurrentActor) -> FileResponse:
    if not _SHA256.match(sha256):
        raise ApiError(404, "not_found", _("No such file."))
    with request.app.state.database.reading() as session:
        attachment = session.get(Attachment, sha256)
    path = blob_path(request.app.state.settings, sha256)
    if attachment is None or not path.is_file():
        raise ApiError(404, "not_found", _("The server does not have this file."))
    # Content never changes under its hash: the hash is a strong validator forever.
    return FileResponse(
        path,
        media_type=attachment.media_type,
        headers={"ETag": f'"{sha256}"', "Cache-Control": "private, max-age=31536000, immutable"},
    )
