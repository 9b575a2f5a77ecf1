"""Rotating backups of the local database, and putting one back.

A backup is a consistent copy made with SQLite's online backup API (safe while the window writes,
WAL included), named ``relay-<UTC time>-<reason>.sqlite3`` in ``backups/`` and readable by its owner
only. One is taken before each migration, each import, each sync a person starts (the timer's syncs
take one at most once an hour), at the first open of each day, and on request (``relay-app db
backup``). ``BackupPolicy`` bounds how many stay.

A restore checks the backup first (SQLite's integrity check and Relay's own tables), refuses while
another program holds the database open, moves the current file and its -wal/-shm into
``set-aside/`` (never deleting them) and only then puts a copy of the backup in place.

The backups of an encrypted store are encrypted with the store's own data key (SQLCipher's
backup API between two connections keyed alike), and ``backups/`` holds the second copy of the
wrapped key: one folder opens with one passphrase.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from relay_app.config import BACKUPS_FOLDER, BackupPolicy, Paths
from relay_app.i18n import _
from relay_app.private_files import create_private_file, private_dir, private_file
from relay_app.store.cipher import connect, driver
from relay_app.store.marker import write_marker
from relay_app.store.unlocked import ensure_unlocked, key_for_file

SQLITE_HEADER = b"SQLite format 3\x00"
# Without these a file is no Relay store, however sound SQLite finds it.
STORE_TABLES = frozenset({"alembic_version", "device_identity"})
AUTOMATIC_SYNC_GAP = timedelta(hours=1)
DAILY_GAP = timedelta(days=1)
COMPANIONS = ("-wal", "-shm")  # SQLite's write-ahead log and its index, part of the database

_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9]+)\.sqlite3$")
# Backups made before migrations by earlier versions: ``relay-rev0004-<stamp>.sqlite3``.
_OLD_NAME = re.compile(r"^(?P<stem>.+)-(?P<reason>[a-z0-9]+)-(?P<stamp>\d{8}T\d{12}Z)\.sqlite3$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"file": str(self.path), "taken_at": self.taken_at.isoformat(), "reason": self.reason}


@dataclass(frozen=True)
class Restored:
    backup: Path
    set_aside: Path | None  # where the replaced database now lies; None when there was none
    device_id: str


class RestoreRefused(Exception):
    """The backup cannot be used, or the database is in use: nothing was changed."""


def backups_folder(database: Path) -> Path:
    return database.parent / BACKUPS_FOLDER


def list_backups(folder: Path) -> list[Backup]:
    """Every backup in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.sqlite3"):
        match = _NAME.match(path.name) or _OLD_NAME.match(path.name)
        if match is not None:
            taken_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            found.append(Backup(path, taken_at, match["reason"]))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.path.name))


def latest_backup(folder: Path) -> Backup | None:
    backups = list_backups(folder)
    return backups[-1] if backups else None


def take_backup(
    database: Path, reason: str, *, folder: Path | None = None, policy: BackupPolicy | None = None
) -> Backup:
    """Copy ``database`` consistently into the backups folder, then drop the backups beyond the policy."""
    if not re.fullmatch(r"[a-z0-9]+", reason):
        raise ValueError(f"A backup reason is lowercase letters and digits: {reason!r}")
    folder = private_dir(folder or backups_folder(database))
    key = key_for_file(database)  # a backup is encrypted exactly as its store is
    while True:
        taken_at = datetime.now(UTC)
        target = folder / f"{database.stem}-{taken_at.strftime(_STAMP)}-{reason}.sqlite3"
        if create_private_file(target):  # private before a single page is copied into it
            break
    try:
        source = connect(database, key)
        try:
            destination = connect(target, key)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    prune(folder, policy or BackupPolicy.from_environment())
    return Backup(target, taken_at, reason)


def backup_before_sync(database: Path, *, automatic: bool) -> Backup | None:
    """A person's sync always gets a backup first; the timer's only when the newest is an hour old."""
    if automatic and _newest_within(database, AUTOMATIC_SYNC_GAP):
        return None
    return take_backup(database, "sync")


def take_daily_backup(database: Path) -> Backup | None:
    """The day's backup, unless one was taken in the last 24 hours (for whatever reason)."""
    if _newest_within(database, DAILY_GAP):
        return None
    return take_backup(database, "daily")


def _newest_within(database: Path, gap: timedelta) -> bool:
    newest = latest_backup(backups_folder(database))
    return newest is not None and datetime.now(UTC) - newest.taken_at < gap


def prune(folder: Path, policy: BackupPolicy, now: datetime | None = None) -> list[Path]:
    """Delete the backups the policy does not keep; returns what was deleted.

    Kept: the ``keep_last`` newest, and the newest of each of the last ``keep_days`` days (UTC).
    """
    backups = list_backups(folder)
    keep = {backup.path for backup in backups[-max(1, policy.keep_last):]}
    today = (now or datetime.now(UTC)).date()
    newest_of_day: dict[object, Path] = {}
    for backup in backups:  # oldest first, so the last one seen for a day is its newest
        if (today - backup.taken_at.date()).days < policy.keep_days:
            newest_of_day[backup.taken_at.date()] = backup.path
    keep.update(newest_of_day.values())
    removed = [backup.path for backup in backups if backup.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


# --- restore ------------------------------------------------------------------------------------


def restore(paths: Paths, source: Path) -> Restored:
    """Put a copy of ``source`` in place of the database of ``paths``; the replaced file is kept."""
    database = paths.database
    ensure_unlocked(paths)  # an encrypted store's backups open with its key alone
    key = key_for_file(database)
    device_id = check_backup(source, key)
    if store_in_use(database):
        raise RestoreRefused(
            _("The database {file} is open in another Relay window or command; close it, then restore.")
            .format(file=database)
        )
    temp = paths.data_dir / f".{database.name}.restoring"
    temp.unlink(missing_ok=True)
    create_private_file(temp)
    try:
        shutil.copyfile(source, temp)
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        set_aside = _set_aside(paths)
        os.replace(temp, database)
    finally:
        temp.unlink(missing_ok=True)
    private_file(database)
    write_marker(paths.store_marker, device_id, encrypted=key is not None)
    return Restored(source, set_aside, device_id)


def check_backup(source: Path, key: bytes | None = None) -> str:
    """Raise ``RestoreRefused`` unless ``source`` is a sound Relay store; returns its device id.

    ``key`` is the data key of an encrypted store: its backups open with it, and nothing else does.
    """
    try:
        with source.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise RestoreRefused(
            _("{file} cannot be read ({reason}).").format(file=source, reason=error.strerror or error)
        ) from None
    if key is None and header != SQLITE_HEADER:
        raise RestoreRefused(
            _("{file} is not a Relay backup: it is not an SQLite database.").format(file=source)
        )
    if key is not None and header == SQLITE_HEADER:
        raise RestoreRefused(
            _("{file} is not encrypted: this store is, and only its own backups can replace it.").format(
                file=source
            )
        )
    module = driver(key)
    try:
        connection = connect(source, key, read_only=True)
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            listed = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            tables = {row[0] for row in listed}
            device = None
            if tables >= STORE_TABLES:
                device = connection.execute("SELECT device_id FROM device_identity").fetchone()
        finally:
            connection.close()
    except module.DatabaseError as error:
        if key is not None:
            raise RestoreRefused(
                _("{file} is damaged, or is no backup of this encrypted store ({reason}).").format(
                    file=source, reason=error
                )
            ) from None
        raise RestoreRefused(_("{file} is damaged ({reason}).").format(file=source, reason=error)) from None
    if verdict != "ok":
        raise RestoreRefused(_("{file} is damaged ({reason}).").format(file=source, reason=verdict))
    if device is None:
        raise RestoreRefused(
            _("{file} is not a Relay backup: Relay's tables are missing.").format(file=source)
        )
    return str(device[0])


def store_in_use(database: Path) -> bool:
    """True while another connection (this process or another) has the database open.

    Every connection to a database in WAL mode holds a shared lock on the file for as long as it is
    open, so an exclusive lock can be had only when no one else is there. Nothing is written.
    """
    if not database.exists():
        return False
    key = key_for_file(database)
    module = driver(key)
    connection = connect(database, key, timeout=0, isolation_level=None)
    try:
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("ROLLBACK")
    except module.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    except module.DatabaseError:
        return False  # not a database at all: no one can be using it
    finally:
        connection.close()
    return False


def _set_aside(paths: Paths) -> Path | None:
    """Move the database and its -wal/-shm, together, into ``set-aside/``; None if there was none."""
    database = paths.database
    if not database.exists():
        return None
    folder = private_dir(paths.set_aside)
    stamp = datetime.now(UTC).strftime(_STAMP)
    kept = folder / f"{database.stem}-{stamp}.sqlite3"
    os.replace(database, kept)
    for suffix in COMPANIONS:
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, kept.with_name(kept.name + suffix))
    return kept
