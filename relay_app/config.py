"""Where Relay keeps its files, with the overrides tests and scripts rely on."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "Relay"
APP_AUTHOR = "4p1000"
DATA_DIR_VARIABLE = "RELAY_DATA_DIR"
LANGUAGE_VARIABLE = "RELAY_LANG"
DATABASE_FILE = "relay.sqlite3"


@dataclass(frozen=True)
class Paths:
    """The folders and files of one Relay installation."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

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
    path.mkdir(parents=True, exist_ok=True)
    return Paths(path)
