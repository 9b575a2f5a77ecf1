"""Files of records sent to the server: ask which it lacks, upload those with tus, resumably.

A file lives in the data dir's ``attachments/`` folder under its sha256. Each upload's address is
stored locally before the first byte goes, and its offset is asked of the server (HEAD) whenever it
may have moved (an upload resumed or a chunk cut; not one just created, which is empty), so
an upload interrupted by a cut link, a cancel or a restart goes on from what the server holds.
Every chunk carries its sha256; a chunk the server could not verify is simply sent again.

The server bounds the uploads a device may open (413 ``upload_quota``). A refused file stays
queued for a later sync; in the same run only files that may still fit are asked for (smaller
ones, when the bound is on bytes), so a full allowance costs one small refused request per file
at most, never a retry.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import requests
from sqlalchemy import select

from relay_app.forms.media_types import servable_media_type
from relay_app.i18n import _
from relay_app.store.database import Database
from relay_app.store.models import Attachment, AttachmentUpload
from relay_app.store.types import utc_now
from relay_app.sync.client import Pause, SyncClient, TransientFailure, error_for, retrying
from relay_app.sync.errors import Cancelled, ServerTrouble, SyncError, UploadQuotaReached
from relay_app.sync.wire import API_PREFIX

TUS_VERSION = "1.0.0"
UPLOADS = f"{API_PREFIX}/attachments/uploads"
MISSING_QUESTION_SIZE = 1000  # the server's limit per question
DEFAULT_CHUNK_BYTES = 256 * 1024
MIN_CHUNK_BYTES = 16 * 1024
CHECKSUM_MISMATCH = 460

Result = TypeVar("Result")


def file_path(files_dir: Path, sha256: str) -> Path:
    return files_dir / sha256


# The bound on the number of unfinished uploads: no new one fits until one finishes.
OPEN_UPLOADS_LIMIT = "max_open_uploads"


@dataclass
class UploadCounts:
    uploaded: int = 0
    bytes: int = 0
    failed: int = 0
    over_quota: int = 0  # files the server opens no upload for now; they stay queued
    quota_limit: str | None = None  # the bound the server named last


@dataclass
class UploadAllowance:
    """What this run learnt of the server's upload bounds: which new uploads may still fit."""

    no_new_uploads: bool = False
    smallest_refused: int | None = None

    def may_fit(self, size: int) -> bool:
        if self.no_new_uploads:
            return False
        return self.smallest_refused is None or size < self.smallest_refused

    def refused(self, limit: str, size: int) -> None:
        if limit == OPEN_UPLOADS_LIMIT:
            self.no_new_uploads = True
        else:  # a bound on bytes: a smaller file may still fit
            self.smallest_refused = min(size, self.smallest_refused or size)


class UploadRestart(Exception):
    """The server dropped the upload (unknown address, or the whole file did not match)."""


def pending_hashes(database: Database) -> list[str]:
    """Hashes of this device's files (of records not deleted) the server is not known to hold."""
    with database.read() as session:
        done = set(session.scalars(select(AttachmentUpload.sha256).where(AttachmentUpload.done)))
        wanted = session.scalars(
            select(Attachment.sha256).where(Attachment.deleted.is_(False)).distinct()
        )
        return sorted(sha for sha in wanted if sha not in done)


class AttachmentUploader:
    def __init__(
        self,
        database: Database,
        client: SyncClient,
        files_dir: Path,
        *,
        pause: Pause,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
        on_chunk: Callable[[int], None] | None = None,
    ) -> None:
        """``on_chunk(bytes_sent)`` follows every chunk stored (progress, and a cancel point)."""
        self.on_chunk = on_chunk
        self.database = database
        self.client = client
        self.files_dir = files_dir
        self.pause = pause
        self.chunk_bytes = chunk_bytes
        self.largest_chunk = chunk_bytes

    def upload_missing(self, max_chunk_bytes: int | None = None) -> UploadCounts:
        counts = UploadCounts()
        if max_chunk_bytes:
            self.largest_chunk = min(self.largest_chunk, max_chunk_bytes)
            self.chunk_bytes = min(self.chunk_bytes, self.largest_chunk)
        hashes = [sha for sha in pending_hashes(self.database)
                  if file_path(self.files_dir, sha).is_file()]
        allowance = UploadAllowance()
        for start in range(0, len(hashes), MISSING_QUESTION_SIZE):
            question = hashes[start : start + MISSING_QUESTION_SIZE]
            missing = set(self._retrying(lambda question=question: self.client.missing(question)).missing)
            for sha in question:
                if sha not in missing:
                    self._mark(sha, location=None, done=True)
                    continue
                size = file_path(self.files_dir, sha).stat().st_size
                # An upload already open is never refused; a new one is asked for if it may fit.
                if not self._location_known(sha) and not allowance.may_fit(size):
                    counts.over_quota += 1
                    continue
                try:
                    uploaded = self._upload(sha, counts)
                except (Cancelled, ServerTrouble):
                    raise
                except UploadQuotaReached as refused:  # stays queued for a later sync
                    allowance.refused(refused.limit, size)
                    counts.over_quota += 1
                    counts.quota_limit = refused.limit
                    continue
                except SyncError:  # this file was refused (too large...): the others go on
                    uploaded = False
                if uploaded:
                    counts.uploaded += 1
                else:
                    counts.failed += 1
        return counts

    # -- one file --------------------------------------------------------------------------------

    def _upload(self, sha256: str, counts: UploadCounts) -> bool:
        path = file_path(self.files_dir, sha256)
        media_type = self._media_type(sha256)
        for _attempt in range(3):  # a whole-file mismatch or a lost upload starts again
            try:
                location, fresh = self._location(sha256, path.stat().st_size, media_type)
                if location is None:
                    return True  # the server already holds it
                # An upload made just now is empty: asking its offset would cost a round trip.
                self._send_from_offset(location, path, counts, start=0 if fresh else None)
            except UploadRestart:
                self._mark(sha256, location=None, done=False)
                continue
            self._mark(sha256, location=None, done=True)
            return True
        return False

    def _location(self, sha256: str, length: int, media_type: str) -> tuple[str | None, bool]:
        """Where the file goes, and whether that upload was made just now (so is still empty)."""
        with self.database.read() as session:
            known = session.get(AttachmentUpload, sha256)
        if known is not None and known.location:
            return known.location, False
        metadata = f"sha256 {_b64(sha256.encode())},media_type {_b64(media_type.encode())}"

        def create() -> str | None:
            answer = self.client.raw("POST", UPLOADS, _tus(
                **{"Upload-Length": str(length), "Upload-Metadata": metadata}))
            if answer.status_code == 409:
                return None  # already stored
            if answer.status_code == 413 and _code(answer) == "upload_quota":
                raise UploadQuotaReached(_message(answer), _limit(answer))
            if answer.status_code != 201:
                raise error_for(answer)
            return _header(answer, "Location")

        location = self._retrying(create)
        # Stored before the first byte goes: after a restart the upload goes on where it was.
        self._mark(sha256, location=location, done=location is None)
        return location, True

    def _send_from_offset(
        self, location: str, path: Path, counts: UploadCounts, *, start: int | None = None
    ) -> None:
        length = path.stat().st_size
        offset = self._offset(location) if start is None else start
        failures = 0
        with path.open("rb") as handle:
            while offset < length:
                handle.seek(offset)
                chunk = handle.read(self.chunk_bytes)
                try:
                    offset = self._patch(location, offset, chunk)
                except TransientFailure as error:
                    failures += 1
                    # Smaller chunks get through a link that keeps dropping.
                    self.chunk_bytes = max(MIN_CHUNK_BYTES, self.chunk_bytes // 2)
                    self.pause(failures, error)
                    offset = self._offset(location)  # what really arrived
                    continue
                counts.bytes += len(chunk)
                if self.on_chunk is not None:
                    self.on_chunk(counts.bytes)
                failures = 0
                self.chunk_bytes = min(self.largest_chunk, self.chunk_bytes * 2)

    def _patch(self, location: str, offset: int, chunk: bytes) -> int:
        """Send one chunk at ``offset``; the server's offset afterwards."""
        headers = _tus(**{
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset),
            "Upload-Checksum": f"sha256 {_b64(hashlib.sha256(chunk).digest())}",
        })
        answer = self.client.raw("PATCH", location, headers, chunk)
        if answer.status_code in (204, 409):  # stored, or the server is elsewhere: go on from there
            return int(_header(answer, "Upload-Offset"))
        if answer.status_code == CHECKSUM_MISMATCH and _code(answer) == "checksum_mismatch":
            raise TransientFailure(_("connection lost"), code="checksum_mismatch")
        if answer.status_code in (404, CHECKSUM_MISMATCH):
            raise UploadRestart()
        raise error_for(answer)

    def _offset(self, location: str) -> int:
        def ask() -> int:
            answer = self.client.raw("HEAD", location, _tus())
            if answer.status_code == 404:
                raise UploadRestart()
            if answer.status_code != 200:
                raise error_for(answer)
            return int(_header(answer, "Upload-Offset"))

        return self._retrying(ask)

    # -- helpers ---------------------------------------------------------------------------------

    def _retrying(self, call: Callable[[], Result]) -> Result:
        return retrying(call, self.pause)

    def _media_type(self, sha256: str) -> str:
        """The file's type as its link holds it; one stored before the rule on media types (a
        parameter, a space, a control character) goes as application/octet-stream, which is
        how the server would serve it anyway, rather than be refused at every sync."""
        with self.database.read() as session:
            found = session.scalars(
                select(Attachment.media_type).where(Attachment.sha256 == sha256)
            ).first()
        return servable_media_type(found)

    def _location_known(self, sha256: str) -> bool:
        with self.database.read() as session:
            known = session.get(AttachmentUpload, sha256)
        return known is not None and bool(known.location)

    def _mark(self, sha256: str, *, location: str | None, done: bool) -> None:
        with self.database.write() as session:
            row = session.get(AttachmentUpload, sha256)
            if row is None:
                row = AttachmentUpload(sha256=sha256)
                session.add(row)
            row.location = location
            row.done = done
            row.updated_at = utc_now()


def _header(answer: requests.Response, name: str) -> str:
    """A header tus requires; missing means the answer was cut inside its headers."""
    value = answer.headers.get(name)
    if value is None:
        raise TransientFailure(_("connection lost"), code="network")
    return value


def _tus(**headers: str) -> dict[str, str]:
    return {"Tus-Resumable": TUS_VERSION, **headers}


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _code(answer: requests.Response) -> str:
    return _field(answer, "error")


def _message(answer: requests.Response) -> str:
    return _field(answer, "message")


def _limit(answer: requests.Response) -> str:
    return _field(answer, "limit")


def _field(answer: requests.Response, key: str) -> str:
    try:
        return str(answer.json().get(key, ""))
    except (ValueError, AttributeError):
        return ""
