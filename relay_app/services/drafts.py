"""Unsaved editor work kept as small JSON files: a crash or a power cut loses seconds, not records.

One file per open editor in ``paths.drafts``. Each write goes to a temporary file in the same
folder, is flushed to disk and then renamed over the old draft: a draft file is always either
the previous complete version or the new one, never half of each.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from relay_app.private_files import private_dir

_SUFFIX = ".json"
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


@dataclass(frozen=True)
class Draft:
    """What an editor held when it was last saved as a draft."""

    key: str
    kind: str
    record_id: str | None  # None for a record that was never saved
    values: dict[str, Any]
    saved_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "record_id": self.record_id,
            "values": self.values,
            "saved_at": self.saved_at.isoformat(),
        }


def new_draft_key(kind: str, record_id: str | None = None) -> str:
    """A key for an editor: one per existing record, a fresh one for each new record."""
    return f"{kind}-{record_id}" if record_id else f"{kind}-new-{uuid.uuid4().hex}"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


class DraftStore:
    """The drafts of one data dir."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        if not _SAFE_KEY.match(key):
            raise ValueError(f"Invalid draft key {key!r}")
        return self.folder / f"{key}{_SUFFIX}"

    def save(self, key: str, kind: str, record_id: str | None, values: dict[str, Any]) -> Draft:
        """Write the draft atomically and durably; returns what was written."""
        draft = Draft(key, kind, record_id, dict(values), datetime.now(UTC))
        target = self._path(key)
        private_dir(self.folder)
        text = json.dumps(draft.to_json(), ensure_ascii=False, default=_json_default)
        handle, temp_name = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return draft

    def load(self, key: str) -> Draft | None:
        return self._read(self._path(key))

    def all(self) -> list[Draft]:
        """Every readable draft, oldest first; unreadable files are skipped, not fatal."""
        if not self.folder.is_dir():
            return []
        drafts = [self._read(path) for path in self.folder.glob(f"*{_SUFFIX}")]
        return sorted((d for d in drafts if d is not None), key=lambda d: d.saved_at)

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    @staticmethod
    def _read(path: Path) -> Draft | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Draft(
                key=str(data["key"]),
                kind=str(data["kind"]),
                record_id=data.get("record_id"),
                values=dict(data["values"]),
                saved_at=datetime.fromisoformat(data["saved_at"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
