"""Turning an existing clear store into an encrypted one, leaving no clear copy behind.

The order is what keeps data safe (Signal Desktop's lesson: never lose the key, never fall back
to clear):

1. the clear database is checkpointed and left in rollback-journal mode, so no ``-wal`` holds
   data the copy would miss or that could be replayed over the new file;
2. ``sqlcipher_export()`` writes an encrypted copy keyed with a new random data key, which is
   verified (integrity check, the same row count in every table, every full-text index sound);
3. the wrapped key is written (beside the database and in ``backups/``), and only then the
   verified copy replaces the clear file atomically. Interrupted between the two, the next open
   finds the verified copy and finishes the swap (``finish_interrupted``);
4. every other copy is dealt with: backups and set-aside databases re-encrypted with the same
   key, drafts sealed, logs (which may quote a value typed into a form) and leftover temporary
   files removed.

Deleted clear files are unlinked, not overwritten: on SSDs and copy-on-write file systems an
overwrite does not reach the old blocks anyway (docs/security.md says so).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from relay_app.config import Paths
from relay_app.i18n import _
from relay_app.private_files import create_private_file, private_dir
from relay_app.store import remembered
from relay_app.store.backups import COMPANIONS, list_backups, store_in_use
from relay_app.store.cipher import connect, driver, key_pragma
from relay_app.store.marker import read_marker, write_marker
from relay_app.store.store_key import new_data_key, wrap, write_key_file
from relay_app.store.unlocked import hold, is_encrypted

Progress = Callable[[str], None]

_VERIFIED_SUFFIX = ".encrypted"  # a verified encrypted copy waiting to replace the clear file
_WORK_SUFFIX = ".encrypting"


class EncryptionRefused(Exception):
    """The store cannot be encrypted now; nothing was changed."""


@dataclass
class EncryptReport:
    backups: int = 0
    set_aside: int = 0
    drafts: int = 0
    removed: list[Path] = field(default_factory=list)


def encrypt_store(
    paths: Paths, passphrase: str, *, remember: bool = False, progress: Progress | None = None
) -> EncryptReport:
    """Encrypt the (sound, migrated, closed) clear store of ``paths`` under ``passphrase``."""
    say = progress or (lambda _text: None)
    database = paths.database
    if is_encrypted(paths):
        raise EncryptionRefused(_("the store is already encrypted"))
    if not passphrase:
        raise EncryptionRefused(_("the passphrase is empty"))
    if not database.is_file() or database.stat().st_size == 0:
        raise EncryptionRefused(_("there is no store to encrypt in {folder}").format(folder=paths.data_dir))
    if store_in_use(database):
        raise EncryptionRefused(
            _("the database {file} is open in another Relay window or command; close it first").format(
                file=database
            )
        )
    key = new_data_key()
    say(_("Encrypting the database…"))
    _leave_wal_mode(database)
    verified = _encrypted_copy(database, key, database.with_name(f".{database.name}{_VERIFIED_SUFFIX}"))
    wrapped = wrap(key, passphrase)
    private_dir(paths.backups)
    write_key_file(paths.key_file_copy, wrapped)
    write_key_file(paths.key_file, wrapped)
    os.replace(verified, database)
    hold(paths.data_dir, key)
    marker = read_marker(paths.store_marker)
    if marker is not None:  # so even with both key files lost, the file is known as encrypted
        write_marker(paths.store_marker, marker.device_id, encrypted=True)
    if remember:
        remembered.remember(paths.data_dir, wrapped.store_id, key)
    return _cover_other_copies(paths, key, say)


def finish_interrupted(paths: Paths) -> bool:
    """Complete an encryption cut off after its copy was verified and its key written."""
    verified = paths.database.with_name(f".{paths.database.name}{_VERIFIED_SUFFIX}")
    if not (verified.is_file() and is_encrypted(paths)):
        return False
    for suffix in COMPANIONS:
        paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
    os.replace(verified, paths.database)
    return True


def _cover_other_copies(paths: Paths, key: bytes, say: Progress) -> EncryptReport:
    from relay_app.services.drafts import DraftStore  # services and sync sit above the store
    from relay_app.sync.credentials import TokenStore

    report = EncryptReport()
    say(_("Encrypting the backups…"))
    for backup in list_backups(paths.backups):
        if _encrypt_or_remove(backup.path, key, report):
            report.backups += 1
    if paths.set_aside.is_dir():
        for kept in sorted(paths.set_aside.glob("*.sqlite3")):
            if _encrypt_or_remove(kept, key, report):
                report.set_aside += 1
    say(_("Sealing drafts and removing clear leftovers…"))
    report.drafts = DraftStore(paths.drafts).seal_all()
    TokenStore(paths.data_dir, backend="file").seal()
    for leftover in _clear_leftovers(paths):
        leftover.unlink(missing_ok=True)
        report.removed.append(leftover)
    return report


def _encrypt_or_remove(path: Path, key: bytes, report: EncryptReport) -> bool:
    """Encrypt a clear copy in place; one that cannot be read (damaged) is removed, not left clear."""
    try:
        _encrypt_in_place(path, key)
        return True
    except (driver(key).DatabaseError, EncryptionRefused):
        for companion in (path, *(path.with_name(path.name + s) for s in COMPANIONS)):
            companion.unlink(missing_ok=True)
        report.removed.append(path)
        return False


def _clear_leftovers(paths: Paths) -> list[Path]:
    """Files that may hold record text in the clear and have no use once the store is encrypted."""
    found: list[Path] = []
    if paths.logs.is_dir():
        found += [path for path in paths.logs.iterdir() if path.is_file()]
    if paths.drafts.is_dir():
        found += list(paths.drafts.glob(".*.tmp"))
    if paths.attachments.is_dir():
        found += list(paths.attachments.glob(".incoming-*"))
    found += list(paths.data_dir.glob(f".{paths.database.name}.*"))  # an interrupted restore's copy
    return found


def _leave_wal_mode(database: Path) -> None:
    """Fold the write-ahead log into the file and stop using one, so the file alone is the store."""
    connection = connect(database, None, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def _encrypt_in_place(path: Path, key: bytes) -> None:
    """Replace a clear database file (a backup, a set-aside copy) with a verified encrypted copy."""
    temp = _encrypted_copy(path, key, path.with_name(f".{path.name}{_WORK_SUFFIX}"))
    for suffix in COMPANIONS:  # their pages are in the copy; left beside it they would spoil it
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(temp, path)


def _encrypted_copy(source: Path, key: bytes, target: Path) -> Path:
    """Export ``source`` into a new file keyed with ``key`` and verify it; returns ``target``."""
    target.unlink(missing_ok=True)
    create_private_file(target)
    try:
        clear = driver(key).connect(source, isolation_level=None)  # SQLCipher's driver, no key: clear
        try:
            attach_key = key_pragma(key).removeprefix("PRAGMA key = ")
            clear.execute(f"ATTACH DATABASE ? AS encrypted KEY {attach_key}", (str(target),))
            clear.execute("SELECT sqlcipher_export('encrypted')")
            clear.execute("DETACH DATABASE encrypted")
            expected = _row_counts(clear)
        finally:
            clear.close()
        _verify(target, key, expected)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _row_counts(connection: object) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(  # type: ignore[attr-defined]
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # type: ignore[attr-defined]
        for table in tables
    }


def _verify(target: Path, key: bytes, expected: dict[str, int]) -> None:
    connection = connect(target, key, isolation_level=None)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise EncryptionRefused(
                _("the encrypted copy failed its check ({reason})").format(reason=verdict)
            )
        if _row_counts(connection) != expected:
            raise EncryptionRefused(_("the encrypted copy does not hold the same rows"))
        fts_tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'"
            )
        ]
        for fts in fts_tables:  # raises if an index does not match its content
            connection.execute(f"INSERT INTO \"{fts}\"(\"{fts}\") VALUES ('integrity-check')")
    finally:
        connection.close()
