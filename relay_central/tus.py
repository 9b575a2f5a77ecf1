"""Resumable uploads: tus 1.0 core with the creation, checksum and termination extensions.

The offset lives in the database and is only moved after the bytes are on disk (fsync), so an
upload survives a restart of the server or of the client: HEAD says where to go on. Each PATCH
may carry `Upload-Checksum: sha256 <base64>`; a chunk that does not match is not kept (460). The
whole file is checked against the sha256 declared at creation before it becomes an attachment.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import re
import secrets
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from relay_app.i18n import _
from relay_app.sync.wire import API_PREFIX
from relay_central.auth import Actor, current_actor
from relay_central.blobs import append_at, blob_path, file_sha256, store_blob, upload_path
from relay_central.db import Database
from relay_central.errors import ApiError
from relay_central.models import Attachment, Upload, utc_now
from relay_central.protocol import accept_protocol
from relay_central.settings import Settings
from relay_central.text import has_nul, without_nul

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,termination"
OFFSET_TYPE = "application/offset+octet-stream"
CHECKSUM_MISMATCH = 460  # the status the tus checksum extension defines
DEFAULT_MEDIA_TYPE = "application/octet-stream"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

router = APIRouter(prefix=f"{API_PREFIX}/attachments/uploads", dependencies=[Depends(accept_protocol)])
CurrentActor = Annotated[Actor, Depends(current_actor)]
# One PATCH at a time per upload within this process.
_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()


@dataclass(frozen=True)
class UploadState:
    id: str
    sha256: str
    length: int
    offset: int
    media_type: str


def _tus_headers(**extra: str) -> dict[str, str]:
    return {"Tus-Resumable": TUS_VERSION, **extra}


def _error(status: int, code: str, message: str, **headers: str) -> ApiError:
    return ApiError(status, code, message, headers=_tus_headers(**headers))


def _require_tus(request: Request) -> None:
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise _error(
            412,
            "tus_version",
            _("Uploads speak tus {version}.").format(version=TUS_VERSION),
            **{"Tus-Version": TUS_VERSION},
        )


def _int_header(request: Request, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise _error(400, "bad_header", _("The {header} header must be a whole number.").format(
            header=name))
    return int(value)


def parse_metadata(header: str) -> dict[str, str]:
    """`key base64value,key base64value` as the tus creation extension defines it."""
    found: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            found[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise _error(400, "bad_metadata", _("Upload-Metadata could not be read.")) from None
    return found


def parse_checksum(header: str | None) -> bytes | None:
    if header is None:
        return None
    algorithm, _sep, encoded = header.strip().partition(" ")
    if algorithm.lower() != "sha256":
        raise _error(400, "checksum_algorithm", _("Only sha256 checksums are supported."))
    try:
        return base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise _error(400, "bad_checksum", _("Upload-Checksum could not be read.")) from None


def _state(upload: Upload) -> UploadState:
    return UploadState(upload.id, upload.sha256, upload.length, upload.offset, upload.media_type)


def _load(database: Database, upload_id: str, actor: Actor) -> UploadState:
    with database.reading() as session:
        # Upload ids are hex; one with a NUL cannot even be looked up on PostgreSQL.
        upload = None if has_nul(upload_id) else session.get(Upload, upload_id)
        if upload is None or upload.device != actor.device_pk:
            raise _error(404, "not_found", _("This upload is unknown or was abandoned."))
        return _state(upload)


def _save_offset(database: Database, upload_id: str, offset: int) -> None:
    with database.writing() as session:
        upload = session.get(Upload, upload_id)
        if upload is not None:
            upload.offset = offset
            upload.updated_at = utc_now()


def _finish(database: Database, settings: Settings, state: UploadState, actor: Actor) -> None:
    """Check the whole file and turn it into an attachment; the upload is gone either way."""
    part = upload_path(settings, state.id)
    intact = file_sha256(part) == state.sha256
    with database.writing() as session:
        upload = session.get(Upload, state.id)
        if upload is not None:
            session.delete(upload)
        if intact and session.get(Attachment, state.sha256) is None:
            store_blob(settings, state.sha256, part)
            session.add(
                Attachment(
                    sha256=state.sha256,
                    size=state.length,
                    media_type=state.media_type,
                    uploaded_by=actor.device_pk,
                )
            )
    part.unlink(missing_ok=True)
    if not intact:
        raise _error(
            CHECKSUM_MISMATCH,
            "file_checksum_mismatch",
            _("The uploaded file does not match its sha256; upload it again from the start."),
        )


@router.options("")
def capabilities(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    return Response(
        status_code=204,
        headers=_tus_headers(
            **{
                "Tus-Version": TUS_VERSION,
                "Tus-Extension": TUS_EXTENSIONS,
                "Tus-Checksum-Algorithm": "sha256",
                "Tus-Max-Size": str(settings.max_upload_bytes),
            }
        ),
    )


@router.post("", status_code=201)
def create(request: Request, actor: CurrentActor) -> Response:
    """Start (or find again) this device's upload of one file, named by its sha256."""
    _require_tus(request)
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    length = _int_header(request, "upload-length")
    if length > settings.max_upload_bytes:
        raise _error(413, "upload_too_large", _("Files may be at most {size} bytes.").format(
            size=settings.max_upload_bytes))
    metadata = parse_metadata(request.headers.get("upload-metadata", ""))
    sha256 = metadata.get("sha256", "").lower()
    if not _SHA256.match(sha256):
        raise _error(400, "bad_metadata", _("Upload-Metadata must give the file's sha256."))
    declared_type = metadata.get("media_type") or metadata.get("filetype") or ""
    media_type = without_nul(declared_type) or DEFAULT_MEDIA_TYPE
    with database.writing() as session:
        if session.get(Attachment, sha256) is not None and blob_path(settings, sha256).is_file():
            raise _error(409, "already_stored", _("The server already has this file."))
        upload = session.scalar(
            select(Upload).where(Upload.device == actor.device_pk, Upload.sha256 == sha256)
        )
        if upload is not None and upload.length != length:
            session.delete(upload)
            session.flush()
            upload_path(settings, upload.id).unlink(missing_ok=True)
            upload = None
        if upload is None:
            upload = Upload(
                id=secrets.token_hex(16),
                device=actor.device_pk,
                sha256=sha256,
                length=length,
                offset=0,
                media_type=media_type[:200],
            )
            session.add(upload)
        state = _state(upload)
    part = upload_path(settings, state.id)
    part.parent.mkdir(parents=True, exist_ok=True)
    part.touch(exist_ok=True)
    if state.length == 0:
        _finish(database, settings, state, actor)
    return Response(
        status_code=201,
        headers=_tus_headers(
            Location=f"{router.prefix}/{state.id}", **{"Upload-Offset": str(state.offset)}
        ),
    )


@router.head("/{upload_id}")
def offset(upload_id: str, request: Request, actor: CurrentActor) -> Response:
    _require_tus(request)
    state = _load(request.app.state.database, upload_id, actor)
    return Response(
        status_code=200,
        headers=_tus_headers(
            **{
                "Upload-Offset": str(state.offset),
                "Upload-Length": str(state.length),
                "Cache-Control": "no-store",
            }
        ),
    )


@router.patch("/{upload_id}", status_code=204)
async def append(upload_id: str, request: Request) -> Response:
    actor = await run_in_threadpool(current_actor, request)
    _require_tus(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != OFFSET_TYPE:
        raise _error(415, "content_type", _("Upload chunks are sent as {type}.").format(
            type=OFFSET_TYPE))
    claimed = _int_header(request, "upload-offset")
    checksum = parse_checksum(request.headers.get("upload-checksum"))
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database

    lock = _locks.get(upload_id)
    if lock is None:
        lock = _locks[upload_id] = asyncio.Lock()
    async with lock:
        state = await run_in_threadpool(_load, database, upload_id, actor)
        if claimed != state.offset:
            raise _error(409, "offset_mismatch", _("The upload is at another offset; ask for it "
                                                   "with HEAD."), **{"Upload-Offset": str(state.offset)})
        room = min(state.length - state.offset, settings.max_chunk_bytes)
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > room:
            raise _error(413, "chunk_too_large", _("This chunk is larger than what is left to "
                                                   "upload or than {size} bytes.").format(
                size=settings.max_chunk_bytes))
        chunk = settings.uploads_dir / f"{upload_id}.chunk"
        try:
            received, digest, complete = await _receive(request, chunk, room)
            if received > room:
                raise _error(413, "chunk_too_large", _("This chunk is larger than what is left "
                                                       "to upload."))
            if checksum is not None and (not complete or digest != checksum):
                # tus: a chunk that cannot be verified is not kept.
                raise _error(CHECKSUM_MISMATCH, "checksum_mismatch", _(
                    "This chunk does not match its checksum; send it again."),
                    **{"Upload-Offset": str(state.offset)})
            new_offset = state.offset
            if received:
                part = upload_path(settings, upload_id)
                new_offset = await run_in_threadpool(append_at, part, state.offset, chunk)
                await run_in_threadpool(_save_offset, database, upload_id, new_offset)
        finally:
            chunk.unlink(missing_ok=True)
        if new_offset == state.length:
            finished = UploadState(state.id, state.sha256, state.length, new_offset,
                                   state.media_type)
            await run_in_threadpool(_finish, database, settings, finished, actor)
    return Response(status_code=204, headers=_tus_headers(**{"Upload-Offset": str(new_offset)}))


async def _receive(request: Request, chunk: Path, room: int) -> tuple[int, bytes, bool]:
    """Spool the body to ``chunk``; (bytes, sha256 digest, whether the body arrived whole)."""
    digest = hashlib.sha256()
    received = 0
    complete = True
    chunk.parent.mkdir(parents=True, exist_ok=True)
    with chunk.open("wb") as out:
        try:
            async for piece in request.stream():
                received += len(piece)
                if received > room:
                    break
                digest.update(piece)
                out.write(piece)
        except ClientDisconnect:
            # tus core: keep what arrived; the client asks HEAD for the offset and goes on.
            complete = False
    return received, digest.digest(), complete


@router.delete("/{upload_id}", status_code=204)
def terminate(upload_id: str, request: Request, actor: CurrentActor) -> Response:
    _require_tus(request)
    database: Database = request.app.state.database
    state = _load(database, upload_id, actor)
    with database.writing() as session:
        upload = session.get(Upload, state.id)
        if upload is not None:
            session.delete(upload)
    upload_path(request.app.state.settings, state.id).unlink(missing_ok=True)
    return Response(status_code=204, headers=_tus_headers())
