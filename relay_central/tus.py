"""Resumable uploads: tus 1.0 core with the creation, checksum, termination and expiration extensions.

The offset lives in the database and is only moved after the bytes are on disk (fsync), so an
upload survives a restart of the server or of the client: HEAD says where to go on. Each PATCH
may carry `Upload-Checksum: sha1|sha256 <base64>`; a chunk that does not match is not kept (460).
The whole file is checked against the sha256 declared at creation before it becomes an attachment.
What one device may have open and store per day is bounded (`quotas.py`); an upload left
untouched for `upload_expiry_days` is forgotten.
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
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from relay_app.forms.media_types import DEFAULT_MEDIA_TYPE, is_media_type
from relay_app.i18n import _
from relay_app.sync.wire import API_PREFIX
from relay_central.auth import Actor, current_actor
from relay_central.blobs import append_at, blob_path, file_sha256, store_blob, upload_path
from relay_central.db import Database
from relay_central.errors import ApiError
from relay_central.models import Attachment, Upload, utc_now
from relay_central.protocol import accept_protocol
from relay_central.quotas import check_upload_quota, forget_expired_uploads, upload_expires_at
from relay_central.settings import Settings
from relay_central.text import has_nul, without_nul
from relay_central.tus_spec import APPEND, CAPABILITIES, CREATE, OFFSET, TERMINATE, TUS_VERSION

TUS_EXTENSIONS = "creation,checksum,termination,expiration"
OFFSET_TYPE = "application/offset+octet-stream"
CHECKSUM_MISMATCH = 460  # the status the tus checksum extension defines
# sha1 is the one the tus checksum extension requires every server to support.
CHECKSUM_ALGORITHMS = ("sha1", "sha256")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Offsets and lengths: ASCII digits that fit the database's 64-bit integers.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}", re.ASCII)

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
    updated_at: datetime


@dataclass(frozen=True)
class ChunkChecksum:
    algorithm: str
    digest: bytes


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
    if _WHOLE_NUMBER.fullmatch(value) is None:
        raise _error(400, "bad_header", _("The {header} header must be a whole number.").format(
            header=name))
    return int(value)


def _expires(settings: Settings, updated_at: datetime) -> dict[str, str]:
    """The tus expiration extension's header: when an untouched upload is forgotten."""
    return {"Upload-Expires": format_datetime(upload_expires_at(settings, updated_at),
                                              usegmt=True)}


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


def declared_media_type(metadata: dict[str, str]) -> str:
    """The media type an upload declares (`media_type`, or tus clients' `filetype`)."""
    declared = without_nul(metadata.get("media_type") or metadata.get("filetype") or "")
    if not declared:
        return DEFAULT_MEDIA_TYPE
    if not is_media_type(declared):
        raise _error(400, "bad_metadata", _(
            "The media type in Upload-Metadata must be a type/subtype such as image/jpeg."))
    return str(declared)


def parse_checksum(header: str | None) -> ChunkChecksum | None:
    if header is None:
        return None
    algorithm, _sep, encoded = header.strip().partition(" ")
    algorithm = algorithm.lower()
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise _error(400, "checksum_algorithm", _("Only sha1 and sha256 checksums are supported."))
    try:
        return ChunkChecksum(algorithm, base64.b64decode(encoded.strip(), validate=True))
    except binascii.Error:
        raise _error(400, "bad_checksum", _("Upload-Checksum could not be read.")) from None


def _state(upload: Upload) -> UploadState:
    return UploadState(upload.id, upload.sha256, upload.length, upload.offset, upload.media_type,
                       upload.updated_at)


def _load(database: Database, settings: Settings, upload_id: str, actor: Actor) -> UploadState:
    with database.reading() as session:
        # Upload ids are hex; one with a NUL cannot even be looked up on PostgreSQL.
        upload = None if has_nul(upload_id) else session.get(Upload, upload_id)
        if (
            upload is None
            or upload.device != actor.device_pk
            or upload_expires_at(settings, upload.updated_at) <= utc_now()
        ):
            raise _error(404, "not_found", _("This upload is unknown or was abandoned."))
        return _state(upload)


def _save_offset(database: Database, upload_id: str, offset: int) -> datetime:
    now = utc_now()
    with database.writing() as session:
        upload = session.get(Upload, upload_id)
        if upload is not None:
            upload.offset = offset
            upload.updated_at = now
    return now


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


@router.options("", **CAPABILITIES)
def capabilities(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    return Response(
        status_code=204,
        headers=_tus_headers(
            **{
                "Tus-Version": TUS_VERSION,
                "Tus-Extension": TUS_EXTENSIONS,
                "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
                "Tus-Max-Size": str(settings.max_upload_bytes),
            }
        ),
    )


@router.post("", **CREATE)
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
    media_type = declared_media_type(metadata)
    with database.writing() as session:
        if session.get(Attachment, sha256) is not None and blob_path(settings, sha256).is_file():
            raise _error(409, "already_stored", _("The server already has this file."))
        forgotten = forget_expired_uploads(session, settings, device=actor.device_pk)
        upload = session.scalar(
            select(Upload).where(Upload.device == actor.device_pk, Upload.sha256 == sha256)
        )
        if upload is not None and upload.length != length:
            session.delete(upload)
            session.flush()
            forgotten.append(upload.id)
            upload = None
        if upload is None:
            check_upload_quota(session, settings, actor.device_pk, length)
            upload = Upload(
                id=secrets.token_hex(16),
                device=actor.device_pk,
                sha256=sha256,
                length=length,
                offset=0,
                media_type=media_type,
                updated_at=utc_now(),
            )
            session.add(upload)
        state = _state(upload)
    for upload_id in forgotten:
        upload_path(settings, upload_id).unlink(missing_ok=True)
    part = upload_path(settings, state.id)
    part.parent.mkdir(parents=True, exist_ok=True)
    part.touch(exist_ok=True)
    if state.length == 0:
        _finish(database, settings, state, actor)
    return Response(
        status_code=201,
        headers=_tus_headers(
            Location=f"{router.prefix}/{state.id}",
            **{"Upload-Offset": str(state.offset)},
            **_expires(settings, state.updated_at),
        ),
    )


@router.head("/{upload_id}", **OFFSET)
def offset(upload_id: str, request: Request, actor: CurrentActor) -> Response:
    _require_tus(request)
    settings: Settings = request.app.state.settings
    state = _load(request.app.state.database, settings, upload_id, actor)
    return Response(
        status_code=200,
        headers=_tus_headers(
            **{
                "Upload-Offset": str(state.offset),
                "Upload-Length": str(state.length),
                "Cache-Control": "no-store",
            },
            **_expires(settings, state.updated_at),
        ),
    )


@router.patch("/{upload_id}", **APPEND)
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
        state = await run_in_threadpool(_load, database, settings, upload_id, actor)
        if claimed != state.offset:
            raise _error(409, "offset_mismatch", _("The upload is at another offset; ask for it "
                                                   "with HEAD."), **{"Upload-Offset": str(state.offset)})
        room = min(state.length - state.offset, settings.max_chunk_bytes)
        declared = request.headers.get("content-length", "")
        if _WHOLE_NUMBER.fullmatch(declared) and int(declared) > room:
            raise _error(413, "chunk_too_large", _("This chunk is larger than what is left to "
                                                   "upload or than {size} bytes.").format(
                size=settings.max_chunk_bytes))
        chunk = settings.uploads_dir / f"{upload_id}.chunk"
        try:
            algorithm = checksum.algorithm if checksum is not None else "sha256"
            received, digest, complete = await _receive(request, chunk, room, algorithm)
            if received > room:
                raise _error(413, "chunk_too_large", _("This chunk is larger than what is left "
                                                       "to upload."))
            if checksum is not None and (not complete or digest != checksum.digest):
                # tus: a chunk that cannot be verified is not kept.
                raise _error(CHECKSUM_MISMATCH, "checksum_mismatch", _(
                    "This chunk does not match its checksum; send it again."),
                    **{"Upload-Offset": str(state.offset)})
            new_offset, touched = state.offset, state.updated_at
            if received:
                part = upload_path(settings, upload_id)
                new_offset = await run_in_threadpool(append_at, part, state.offset, chunk)
                touched = await run_in_threadpool(_save_offset, database, upload_id, new_offset)
        finally:
            chunk.unlink(missing_ok=True)
        if new_offset == state.length:
            finished = UploadState(state.id, state.sha256, state.length, new_offset,
                                   state.media_type, touched)
            await run_in_threadpool(_finish, database, settings, finished, actor)
            return Response(status_code=204,
                            headers=_tus_headers(**{"Upload-Offset": str(new_offset)}))
    return Response(
        status_code=204,
        headers=_tus_headers(**{"Upload-Offset": str(new_offset)}, **_expires(settings, touched)),
    )


async def _receive(
    request: Request, chunk: Path, room: int, algorithm: str
) -> tuple[int, bytes, bool]:
    """Spool the body to ``chunk``; (bytes, digest by ``algorithm``, whether it arrived whole)."""
    digest = hashlib.new(algorithm)
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


@router.delete("/{upload_id}", **TERMINATE)
def terminate(upload_id: str, request: Request, actor: CurrentActor) -> Response:
    _require_tus(request)
    database: Database = request.app.state.database
    state = _load(database, request.app.state.settings, upload_id, actor)
    with database.writing() as session:
        upload = session.get(Upload, state.id)
        if upload is not None:
            session.delete(upload)
    upload_path(request.app.state.settings, state.id).unlink(missing_ok=True)
    return Response(status_code=204, headers=_tus_headers())
