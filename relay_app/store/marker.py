"""A small ``store.json`` beside the database: proof, kept outside the file, that a store lived here.

An emptied, truncated or deleted database cannot say that it once held records; this file can. It
names the device and the time of the last good open, and is rewritten after each one. It also
says whether the store is encrypted, so an encrypted file whose key files were both lost is named
for what it is rather than taken for a damaged one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from relay_app.private_files import PRIVATE_FILE_MODE


@dataclass(frozen=True)
class StoreMarker:
    device_id: str
    last_good_open: datetime
    encrypted: bool = False


def read_marker(path: Path) -> StoreMarker | None:
    """The marker's content; None when it is missing or unreadable (its presence still counts)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return StoreMarker(
            str(data["device_id"]),
            datetime.fromisoformat(data["last_good_open"]),
            bool(data.get("encrypted", False)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_marker(path: Path, device_id: str, *, encrypted: bool = False) -> None:
    """Record a good open of the store of ``device_id`` now (atomically, readable by the owner only)."""
    text = json.dumps(
        {"device_id": device_id, "last_good_open": datetime.now(UTC).isoformat(), "encrypted": encrypted}
    )
    handle, temp_name = tempfile.mkstemp(prefix=".store.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if os.name == "posix":
            os.chmod(temp_name, PRIVATE_FILE_MODE)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
