"""Unsaved editor work kept as small JSON files: a crash or a power cut loses seconds, not records.

One file per open editor in ``paths.drafts``. Each write goes to a temporary file in the same
folder, is flushed to disk and then renamed over the old draft: a draft file is always either
the previous complete version or the new one, never half of each.

In an encrypted store a draft is sealed with the store's data key (``.sealed`` instead of
``.json``): what a person was typing is as protected as what they saved.
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
from relay_app.store.sealed import Unsealable, seal, unseal
from relay_app.store.unlocked import key_for_folder

_SUFFIX = ".json"
_SEALED_SUFFIX = ".sealed"
_PURPOSE = "draft"
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

    def _path(self, key: str, suffix: str = _SUFFIX) -> Path:
        if not _SAFE_KEY.match(key):
            raise ValueError(f"Invalid draft key {key!r}")
        return self.folder / f"{key}{suffix}"

    def _data_key(self) -> bytes | None:
        """The store's key when it is encrypted (``StoreLocked`` while it is locked), else None."""
        return key_for_folder(self.folder.parent)

    def save(self, key: str, kind: str, record_id: str | None, values: dict[str, Any]) -> Draft:
        """Write the draft atomically and durably; returns what was written."""
        draft = Draft(key, kind, record_id, dict(values), datetime.now(UTC))
        data_key = self._data_key()
        content = json.dumps(draft.to_json(), ensure_ascii=False, default=_json_default).encode("utf-8")
        target = self._path(key, _SUFFIX if data_key is None else _SEALED_SUFFIX)
        if data_key is not None:
            content = seal(data_key, _PURPOSE, target.name, content)
        private_dir(self.folder)
        self._write(target, content)
        if data_key is not None:
            self._path(key).unlink(missing_ok=True)  # a clear draft from before encryption
        return draft

    def _write(self, target: Path, content: bytes) -> None:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def seal_all(self) -> int:
        """Seal every clear draft with the store's key (once the store is encrypted); returns how many."""
        data_key = self._data_key()
        if data_key is None or not self.folder.is_dir():
            return 0
        sealed = 0
        for path in sorted(self.folder.glob(f"*{_SUFFIX}")):
            target = path.with_suffix(_SEALED_SUFFIX)
            self._write(target, seal(data_key, _PURPOSE, target.name, path.read_bytes()))
            path.unlink()
            sealed += 1
        return sealed

    def load(self, key: str) -> Draft | None:
        sealed = self._path(key, _SEALED_SUFFIX)
        return self._read(sealed if sealed.exists() else self._path(key))

    def all(self) -> list[Draft]:
        """Every readable draft, oldest first; unreadable files are skipped, not fatal."""
        if not self.folder.is_dir():
            return []
        paths = [*self.folder.glob(f"*{_SUFFIX}"), *self.folder.glob(f"*{_SEALED_SUFFIX}")]
        drafts = [self._read(path) for path in paths]
        return sorted((d for d in drafts if d is not None), key=lambda d: d.saved_at)

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        self._path(key, _SEALED_SUFFIX).unlink(missing_ok=True)

    def _read(self, path: Path) -> Draft | None:
        try:
            content = path.read_bytes()
            if path.suffix == _SEALED_SUFFIX:
                data_key = self._data_key()
                if data_key is None:
                    return None
                content = unseal(data_key, _PURPOSE, path.name, content)
            data = json.loads(content.decode("utf-8"))
            return Draft(
                key=str(data["key"]),
                kind=str(data["kind"]),
                record_id=data.get("record_id"),
                values=dict(data["values"]),
                saved_at=datetime.fromisoformat(data["saved_at"]),
            )
        except (OSError, ValueError, KeyError, TypeError, Unsealable):
            return None
