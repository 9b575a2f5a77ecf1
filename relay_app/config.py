"""Where Relay keeps its files, with the overrides tests and scripts rely on."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from relay_app.private_files import private_dir

APP_NAME = "Relay"
APP_AUTHOR = "4p1000"
DATA_DIR_VARIABLE = "RELAY_DATA_DIR"
LANGUAGE_VARIABLE = "RELAY_LANG"
DATABASE_FILE = "relay.sqlite3"
BACKUPS_FOLDER = "backups"
SET_ASIDE_FOLDER = "set-aside"
STORE_MARKER_FILE = "store.json"
STORE_KEY_FILE = "store-key.json"  # see relay_app.store.store_key
BACKUPS_KEEP_VARIABLE = "RELAY_BACKUPS_KEEP"
BACKUPS_DAYS_VARIABLE = "RELAY_BACKUPS_DAYS"


@dataclass(frozen=True)
class Paths:
    """The folders and files of one Relay installation."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def backups(self) -> Path:
        return self.data_dir / BACKUPS_FOLDER

    @property
    def set_aside(self) -> Path:
        """Where a restore moves the database it replaces (never deleted)."""
        return self.data_dir / SET_ASIDE_FOLDER

    @property
    def store_marker(self) -> Path:
        """Says a store lived here, so an emptied or deleted database is noticed, not recreated."""
        return self.data_dir / STORE_MARKER_FILE

    @property
    def key_file(self) -> Path:
        """The wrapped data key of an encrypted store; its presence says the store is encrypted."""
        return self.data_dir / STORE_KEY_FILE

    @property
    def key_file_copy(self) -> Path:
        """The second copy of the wrapped key, beside the backups it also opens."""
        return self.backups / STORE_KEY_FILE

    @property
    def attachments(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def drafts(self) -> Path:
        return self.data_dir / "drafts"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """``--data-dir`` wins, then ``RELAY_DATA_DIR``, then the platform's user data dir."""
    chosen = data_dir or os.environ.get(DATA_DIR_VARIABLE) or user_data_dir(APP_NAME, APP_AUTHOR)
    path = Path(chosen).expanduser().resolve()
    created = not path.exists()
    path.mkdir(parents=True, exist_ok=True)
    if created:
        private_dir(path)
    else:
        secure_data_dir(path)
    return Paths(path)


def secure_data_dir(path: Path) -> None:
    """Close a data folder an older version left readable by others (0755 becomes 0700).

    Only a folder that holds a Relay database: one chosen by mistake (a home or a shared folder
    with other things in it) is not Relay's to close.
    """
    if (path / DATABASE_FILE).exists():
        private_dir(path)


@dataclass(frozen=True)
class BackupPolicy:
    """How many backups of the database are kept in ``backups/``.

    The ``keep_last`` newest are kept, and besides them the newest of each of the last ``keep_days``
    days (UTC), so a problem noticed a few days late can still be undone. ``RELAY_BACKUPS_KEEP`` and
    ``RELAY_BACKUPS_DAYS`` change the numbers (at least one backup is always kept).
    """

    keep_last: int = 10
    keep_days: int = 7

    @classmethod
    def from_environment(cls) -> BackupPolicy:
        default = cls()
        return cls(
            keep_last=max(1, _int_variable(BACKUPS_KEEP_VARIABLE, default.keep_last)),
            keep_days=max(0, _int_variable(BACKUPS_DAYS_VARIABLE, default.keep_days)),
        )


def _int_variable(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, ""))
    except ValueError:
        return default
