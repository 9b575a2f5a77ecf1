"""Photos and documents stored by content: one file per distinct content, named by its sha256.

The same photo attached to three records, or imported twice, is kept once. Files live in
``paths.attachments`` named by their hash alone, the layout the sync engine uploads from
(``relay_app.sync.connect.files_dir``). Every write goes to a temporary file in the same folder,
is flushed, then renamed: a crash never leaves a file whose name promises content it lacks.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from relay_app.private_files import private_dir

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    already_stored: bool  # True when identical content was there before: nothing was written


class AttachmentStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"Not a sha256 digest: {sha256!r}")
        return self.folder / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_bytes(self, data: bytes) -> StoredFile:
        return self._put(iter((data,)))

    def put_file(self, source: Path) -> StoredFile:
        with source.open("rb") as handle:
            return self._put(_chunks(handle))

    def _put(self, chunks: Iterator[bytes]) -> StoredFile:
        private_dir(self.folder)
        digest = hashlib.sha256()
        size = 0
        handle, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    stream.write(chunk)
                stream.flush()
                os.fsync(stream.fileno())
            sha256 = digest.hexdigest()
            target = self.path_for(sha256)
            if target.is_file() and target.stat().st_size == size:
                return StoredFile(sha256, size, target, already_stored=True)
            os.replace(temp_name, target)
            return StoredFile(sha256, size, target, already_stored=False)
        finally:
            Path(temp_name).unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def verify(self, sha256: str) -> bool:
        """True when the stored file still has the content its name says (no disk corruption)."""
        path = self.path_for(sha256)
        if not path.is_file():
            return False
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in _chunks(handle):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk
