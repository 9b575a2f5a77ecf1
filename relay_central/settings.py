"""The central server's settings: one typed object built from command-line options and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DB_VARIABLE = "RELAY_CENTRAL_DB"
DATA_DIR_VARIABLE = "RELAY_CENTRAL_DATA_DIR"
DATABASE_FILE = "central.sqlite3"

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Settings:
    """Everything the server reads at start; tests build one per server with a temporary folder."""

    data_dir: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8470
    # Protocol versions this server speaks (see relay_app.sync.wire.PROTOCOL_VERSION).
    protocol_min: int = 1
    protocol_max: int = 3
    # Tombstones and replay answers are kept at least this long: the longest time a relay may stay
    # offline and still sync incrementally.
    retention_days: int = 180
    # A delete based on an older version than the server's wins (the record becomes a tombstone).
    # False turns such deletes into a `_deleted` conflict instead.
    delete_wins_over_edit: bool = True
    enrolment_code_days: int = 14
    # Failed enrolments one client address may make within a minute before it gets 429.
    enrolment_attempts_per_minute: int = 10
    max_body_bytes: int = 8 * MIB
    # --- request size (docs/sync-protocol.md, "Size limits") ---
    # A gzip body once inflated: twice a realistic full batch (1,000 long practices, 8 MiB).
    max_decompressed_bytes: int = 16 * MIB
    # JSON values in one body (counted before parsing, from the commas and brackets outside its
    # strings): each costs ~100 bytes and a microsecond or two once parsed, so this bounds a
    # request's memory and time where bytes alone cannot. A realistic full batch counts 36,000.
    max_json_values: int = 100_000
    # Bodies of requests without a device token (enrolment): a few hundred bytes are needed.
    max_anonymous_body_bytes: int = 16 * KIB
    # --- push volume per device and UTC day (disk protection); refused with 429 once reached ---
    max_push_changes_per_day: int = 100_000
    max_push_bytes_per_day: int = 256 * MIB
    # ---
    max_batch_changes: int = 1000
    default_pull_limit: int = 500
    max_pull_limit: int = 1000
    max_upload_bytes: int = 200 * MIB
    max_chunk_bytes: int = 16 * MIB
    # What one device may have in flight and store: unfinished uploads (how many, and their
    # declared bytes together) and the bytes of the files it stored in the last 24 hours plus
    # those it has in flight. An upload untouched for `upload_expiry_days` is forgotten.
    max_open_uploads: int = 20
    max_open_upload_bytes: int = 1024 * MIB
    max_daily_upload_bytes: int = 2048 * MIB
    upload_expiry_days: float = 7
    # Responses smaller than this are sent uncompressed even to clients that accept gzip.
    gzip_minimum_bytes: int = 512

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


def default_data_dir() -> Path:
    return Path(user_data_dir("RelayCentral", "4p1000"))


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def load_settings(
    *,
    database_url: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    **overrides: object,
) -> Settings:
    """Options win over RELAY_CENTRAL_DB / RELAY_CENTRAL_DATA_DIR, which win over the defaults.

    Without a database URL the server keeps a SQLite file in its data folder.
    """
    chosen_dir = data_dir or os.environ.get(DATA_DIR_VARIABLE) or default_data_dir()
    folder = Path(chosen_dir).expanduser().resolve()
    url = database_url or os.environ.get(DB_VARIABLE) or sqlite_url(folder / DATABASE_FILE)
    return Settings(data_dir=folder, database_url=url, **overrides)  # type: ignore[arg-type]
