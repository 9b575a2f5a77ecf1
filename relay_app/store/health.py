"""Is the database fit to open? Checked before anything else touches it.

SQLite happily turns an empty or deleted file into a new database, which for Relay means a new store
with a new device id: records gone and the next sync saying "not enrolled". Where a store lived
before (``store.json`` or a backup says so), an empty, missing, foreign or damaged file is refused
instead, with one sentence naming the latest backup and the command that restores it. The check
only reads: a refused file is left exactly as it was.
"""

from __future__ import annotations

import os
from enum import Enum

from relay_app.config import Paths
from relay_app.i18n import _
from relay_app.store.backups import SQLITE_HEADER, STORE_TABLES, Backup, latest_backup, list_backups
from relay_app.store.cipher import connect, driver, opens_with
from relay_app.store.encrypting import finish_interrupted
from relay_app.store.marker import read_marker
from relay_app.store.unlocked import ensure_unlocked, is_encrypted, key_for_file

RESTORE_COMMAND = "relay-app db restore --latest"
RESET_COMMAND = "relay-app security reset --from-server --server URL --code CODE"


class Problem(Enum):
    MISSING = "missing"
    EMPTY = "empty"
    NOT_SQLITE = "not_sqlite"
    NO_SCHEMA = "no_schema"
    DAMAGED = "damaged"
    UNREADABLE = "unreadable"
    READ_ONLY = "read_only"
    FOLDER_READ_ONLY = "folder_read_only"
    NOT_ENCRYPTED = "not_encrypted"  # a clear file where an encrypted store lives
    KEY_MISMATCH = "key_mismatch"  # the key file's key does not open the database
    KEY_LOST = "key_lost"  # an encrypted store whose key files are both gone


class StoreProblem(Exception):
    """The database cannot be opened as it is; Relay changed nothing and says what can be done."""

    def __init__(self, problem: Problem, paths: Paths, reason: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.paths = paths
        self.reason = reason
        self.latest_backup: Backup | None = latest_backup(paths.backups)

    def describe(self) -> str:
        """What is wrong, in one sentence."""
        file, folder, reason = self.paths.database, self.paths.data_dir, self.reason
        if self.problem is Problem.MISSING:
            return _("The database {file} is missing, although this data folder held a store.").format(
                file=file
            )
        if self.problem is Problem.EMPTY:
            return _("The database {file} is empty, although this data folder held a store.").format(
                file=file
            )
        if self.problem is Problem.NOT_SQLITE:
            return _("The database {file} is damaged: it is not an SQLite database.").format(file=file)
        if self.problem is Problem.NOT_ENCRYPTED:
            return _(
                "The database {file} is not encrypted, although this store is: Relay will not use it."
            ).format(file=file)
        if self.problem is Problem.KEY_LOST:
            return _(
                "The database {file} is encrypted, but its key file ({key}) is missing, and so is its "
                "copy in the backups folder: without one of them the data cannot be read."
            ).format(file=file, key=self.paths.key_file.name)
        if self.problem is Problem.KEY_MISMATCH:
            return _("The key file {key} does not open the database {file}.").format(
                key=self.paths.key_file, file=file
            )
        if self.problem is Problem.NO_SCHEMA:
            return _("The database {file} is damaged: Relay's tables are missing.").format(file=file)
        if self.problem is Problem.UNREADABLE:
            return _("The database {file} cannot be read ({reason}).").format(file=file, reason=reason)
        if self.problem is Problem.READ_ONLY:
            return _("The database {file} is read-only: Relay cannot save anything to it.").format(file=file)
        if self.problem is Problem.FOLDER_READ_ONLY:
            return _("The data folder {folder} is read-only: Relay cannot save anything in it.").format(
                folder=folder
            )
        return _("The database {file} is damaged ({reason}).").format(file=file, reason=reason)

    def remedy(self) -> str:
        """What the person can do, naming the latest backup and the command that restores it."""
        if self.problem is Problem.KEY_LOST:
            return _(
                "Nothing was changed. Put a copy of {key} back in {folder}, or rebuild the store from "
                "the server with “{command}” (unsent changes are lost)."
            ).format(key=self.paths.key_file.name, folder=self.paths.data_dir, command=RESET_COMMAND)
        backup = self.latest_backup
        read_only = self.problem in (Problem.READ_ONLY, Problem.FOLDER_READ_ONLY)
        if backup is None:
            if read_only:
                return _("Nothing was changed. Make it writable again.")
            return _("Nothing was changed, and there is no backup to restore in {folder}.").format(
                folder=self.paths.backups
            )
        if read_only:
            return _(
                "Nothing was changed. Make it writable again, or restore the latest backup ({backup}) "
                "with “{command}”."
            ).format(backup=backup.path, command=RESTORE_COMMAND)
        return _("Nothing was changed. The latest backup is {backup}; restore it with “{command}”.").format(
            backup=backup.path, command=RESTORE_COMMAND
        )

    def __str__(self) -> str:
        return f"{self.describe()} {self.remedy()}"


def marked_encrypted(paths: Paths) -> bool:
    """The marker says the store was encrypted at its last good open (its key files may be gone)."""
    marker = read_marker(paths.store_marker)
    return marker is not None and marker.encrypted


def store_existed(paths: Paths) -> bool:
    """Evidence kept outside the database that a store lived in this folder."""
    return paths.store_marker.exists() or bool(list_backups(paths.backups))


def check_store(paths: Paths) -> None:
    """Raise ``StoreProblem`` unless the database can be opened, or created in a fresh folder."""
    database, folder = paths.database, paths.data_dir
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise StoreProblem(Problem.FOLDER_READ_ONLY, paths)
    if not database.exists():
        if store_existed(paths):
            raise StoreProblem(Problem.MISSING, paths)
        return
    if not os.access(database, os.R_OK):
        raise StoreProblem(Problem.UNREADABLE, paths, _("permission denied"))
    if not os.access(database, os.W_OK):
        raise StoreProblem(Problem.READ_ONLY, paths)
    try:
        with database.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreProblem(Problem.UNREADABLE, paths, error.strerror or str(error)) from None
    if not header:
        if store_existed(paths):
            raise StoreProblem(Problem.EMPTY, paths)
        return  # an empty file in a fresh folder: SQLite makes it a new store
    if is_encrypted(paths):
        if header == SQLITE_HEADER and not finish_interrupted(paths):
            raise StoreProblem(Problem.NOT_ENCRYPTED, paths)
        ensure_unlocked(paths)  # asks the front end for the passphrase, or raises StoreLocked
    elif header != SQLITE_HEADER:
        raise StoreProblem(Problem.KEY_LOST if marked_encrypted(paths) else Problem.NOT_SQLITE, paths)
    tables = _tables(paths)
    if not tables and not store_existed(paths):
        return  # a blank SQLite file in a fresh folder: the migrations fill it
    if not tables >= STORE_TABLES:
        raise StoreProblem(Problem.NO_SCHEMA, paths)


def _tables(paths: Paths) -> set[str]:
    """The tables of the database, read through a read-only connection."""
    key = key_for_file(paths.database)
    if key is not None and not opens_with(paths.database, key):
        raise StoreProblem(Problem.KEY_MISMATCH, paths)
    module = driver(key)
    try:
        connection = connect(paths.database, key, read_only=True)
        try:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        finally:
            connection.close()
    except module.DatabaseError as error:
        raise StoreProblem(Problem.DAMAGED, paths, str(error)) from None
    return {row[0] for row in rows}
