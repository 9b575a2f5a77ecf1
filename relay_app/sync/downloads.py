"""Files linked elsewhere, fetched from the server into the files folder, resumably.

A live file link whose bytes are not in the files folder names a file to fetch
(``GET attachments/{sha256}``). The bytes arrive in ranged requests (``Range: bytes=<have>-<end>``)
appended to a partial file, ``.partial/<sha256>``, kept across restarts: a cut link, a cancel or a
closed app resumes from the bytes already here. One bounded range per request keeps a cut's loss
to one chunk, gives progress and a cancel point after every chunk, and means no abandoned request
ever writes into the partial file: the body is written after its request has returned. The whole
file is checked against its sha256 before it is renamed into place; a mismatch deletes the partial
file and counts a failure (the next sync starts it again). A 404 means the server does not hold
the file yet (its link synced first, the bytes are still on their way): not an error, the next
sync tries again.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from relay_app.i18n import _
from relay_app.private_files import create_private_file, private_file
from relay_app.store.database import Database
from relay_app.store.models import Attachment, AttachmentUpload
from relay_app.store.types import utc_now
from relay_app.sync.attachments import file_path
from relay_app.sync.client import Pause, SyncClient, TransientFailure, error_for
from relay_app.sync.errors import Cancelled, ServerTrouble, SyncError
from relay_app.sync.wire import API_PREFIX

PARTIAL_FOLDER = ".partial"
DEFAULT_CHUNK_BYTES = 256 * 1024
MIN_CHUNK_BYTES = 16 * 1024
MAX_CHUNK_BYTES = 4 * 1024 * 1024
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_HASH_BLOCK = 1024 * 1024


def partial_path(files_dir: Path, sha256: str) -> Path:
    return files_dir / PARTIAL_FOLDER / sha256


@dataclass(frozen=True)
class WantedFile:
    sha256: str
    size: int  # as the link says; the server's Content-Range has the last word


@dataclass
class DownloadCounts:
    downloaded: int = 0
    bytes: int = 0
    failed: int = 0
    not_on_server: int = 0


def wanted_files(database: Database, files_dir: Path) -> list[WantedFile]:
    """The files of live links that are not in the files folder, once each."""
    with database.read() as session:
        rows = session.execute(
            select(Attachment.sha256, Attachment.size).where(Attachment.deleted.is_(False))
        ).all()
    sizes: dict[str, int] = {}
    for sha256, size in rows:
        sizes.setdefault(sha256, int(size or 0))
    return [
        WantedFile(sha256, size)
        for sha256, size in sorted(sizes.items())
        if not file_path(files_dir, sha256).is_file()
    ]


class _Absent(Exception):
    """The server does not hold this file (yet)."""


class AttachmentDownloader:
    def __init__(
        self,
        database: Database,
        client: SyncClient,
        files_dir: Path,
        *,
        pause: Pause,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
        on_chunk: Callable[[int, int], None] | None = None,
    ) -> None:
        """``on_chunk(bytes_received, bytes_expected)`` follows every chunk written."""
        self.database = database
        self.client = client
        self.files_dir = files_dir
        self.pause = pause
        self.chunk_bytes = chunk_bytes
        self.on_chunk = on_chunk

    def download_missing(self) -> DownloadCounts:
        counts = DownloadCounts()
        wanted = wanted_files(self.database, self.files_dir)
        expected = sum(item.size for item in wanted)
        for item in wanted:
            try:
                fetched = self._download(item, counts, expected)
            except _Absent:
                counts.not_on_server += 1
                continue
            except (Cancelled, ServerTrouble):
                raise
            except SyncError:  # this file was refused: the others go on
                fetched = False
            if fetched:
                counts.downloaded += 1
            else:
                counts.failed += 1
        return counts

    # -- one file --------------------------------------------------------------------------------

    def _download(self, item: WantedFile, counts: DownloadCounts, expected: int) -> bool:
        """True once the file is in place; False when its bytes did not match its hash."""
        partial = partial_path(self.files_dir, item.sha256)
        partial.parent.mkdir(parents=True, exist_ok=True)
        size = item.size
        failures = 0
        while True:
            have = partial.stat().st_size if partial.exists() else 0
            if have >= size > 0:
                return self._settle(item.sha256, partial)
            try:
                body, whole, total = self._chunk(item.sha256, have)
            except TransientFailure as error:
                failures += 1
                self.chunk_bytes = max(MIN_CHUNK_BYTES, self.chunk_bytes // 2)
                self.pause(failures, error)
                continue
            if body is None:  # nothing after what is here: the partial file is whole (or wrong)
                return self._settle(item.sha256, partial)
            if whole:  # the server sent the whole file, not the range: it replaces the partial
                _write(partial, body, mode="wb")
            else:
                _write(partial, body, mode="ab")
            size = total if total is not None else size
            failures = 0
            self.chunk_bytes = min(MAX_CHUNK_BYTES, self.chunk_bytes * 2)
            counts.bytes += len(body)
            if self.on_chunk is not None:
                self.on_chunk(counts.bytes, expected)
            if size == 0:
                return self._settle(item.sha256, partial)

    def _chunk(self, sha256: str, have: int) -> tuple[bytes | None, bool, int | None]:
        """The bytes after ``have``: (body, whether it is the whole file, the file's size).

        A body of None means the server has nothing after ``have`` (416).
        """
        end = have + self.chunk_bytes - 1
        headers = {"Range": f"bytes={have}-{end}", "Accept-Encoding": "identity"}
        answer = self.client.raw("GET", f"{API_PREFIX}/attachments/{sha256}", headers)
        if answer.status_code == 404:
            raise _Absent()
        if answer.status_code == 416:
            return None, False, None
        if answer.status_code == 200:
            return answer.content, True, len(answer.content)
        if answer.status_code != 206:
            raise error_for(answer)
        span = _CONTENT_RANGE.match(answer.headers.get("Content-Range", ""))
        body = answer.content
        if span is None or int(span.group(1)) != have or len(body) != int(span.group(2)) - have + 1:
            # Not the range asked for, or cut short: a mangled answer, asked again.
            raise TransientFailure(_("connection lost"), code="network")
        total = None if span.group(3) == "*" else int(span.group(3))
        return body, False, total

    def _settle(self, sha256: str, partial: Path) -> bool:
        """Move a verified partial file into place; delete one whose bytes do not match."""
        if _sha256_of(partial) != sha256:
            partial.unlink(missing_ok=True)
            return False
        os.replace(partial, file_path(self.files_dir, sha256))
        with self.database.write() as session:  # the server holds it: nothing to upload
            known = session.get(AttachmentUpload, sha256)
            if known is None:
                session.add(AttachmentUpload(sha256=sha256, location=None, done=True,
                                             updated_at=utc_now()))
            else:
                known.location, known.done, known.updated_at = None, True, utc_now()
        return True


def _write(path: Path, data: bytes, *, mode: str) -> None:
    # Private before the first byte: the photo of a participant is personal data too.
    if not create_private_file(path):
        private_file(path)
    with path.open(mode) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    if not path.exists():
        return ""
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()
