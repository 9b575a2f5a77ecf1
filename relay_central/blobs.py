"""Where attachment files live on disk: finished files under their sha256, uploads in progress."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from relay_central.settings import Settings

_READ_SIZE = 1024 * 1024


def blob_path(settings: Settings, sha256: str) -> Path:
    # Two levels of fan-out keep any one folder small.
    return settings.attachments_dir / sha256[:2] / sha256[2:4] / sha256


def upload_path(settings: Settings, upload_id: str) -> Path:
    return settings.uploads_dir / f"{upload_id}.part"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def append_at(path: Path, offset: int, source: Path) -> int:
    """Write ``source`` into ``path`` at ``offset`` (dropping anything after it); the new size.

    Anything past ``offset`` is a leftover of a write whose offset was never recorded, so it goes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab"):
        pass
    with path.open("r+b") as target, source.open("rb") as chunk:
        target.truncate(offset)
        target.seek(offset)
        while block := chunk.read(_READ_SIZE):
            target.write(block)
        target.flush()
        os.fsync(target.fileno())
        return target.tell()


def store_blob(settings: Settings, sha256: str, finished: Path) -> Path:
    target = blob_path(settings, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(finished, target)
    return target
