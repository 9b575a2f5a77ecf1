"""The one way the store is opened: checked, private, migrated after a backup, backed up daily.

An encrypted store is opened the same way once its key is held (``store.unlocked``); the check
asks the front end's key source for it, and every step after uses it.
"""

from __future__ import annotations

from sqlalchemy.exc import DatabaseError

from relay_app.config import Paths, secure_data_dir
from relay_app.private_files import private_dir, private_file
from relay_app.store.backups import COMPANIONS, take_daily_backup
from relay_app.store.database import Database
from relay_app.store.health import Problem, StoreProblem, check_store
from relay_app.store.marker import write_marker
from relay_app.store.migrate import upgrade_database
from relay_app.store.unlocked import is_encrypted


def open_store(paths: Paths) -> Database:
    """Open the database of ``paths``, creating it in a fresh folder.

    Raises ``StoreProblem`` (and changes nothing) when the file is empty, missing, damaged or
    read-only where a store lived before.
    """
    check_store(paths)
    existed = paths.database.exists() and paths.database.stat().st_size > 0
    try:
        upgrade_database(paths.database, paths.backups)
    except DatabaseError as error:  # damage the header check could not see ("malformed")
        reason = " ".join(str(error.orig or error).split())
        raise StoreProblem(Problem.DAMAGED, paths, reason) from None
    secure_data_dir(paths.data_dir)
    for folder in (paths.backups, paths.set_aside, paths.drafts, paths.attachments, paths.logs):
        if folder.is_dir():
            private_dir(folder)  # also those another part (a sync download) made with the umask's mode
    companions = (paths.database.with_name(paths.database.name + s) for s in COMPANIONS)
    for path in (paths.database, *companions, paths.key_file, paths.key_file_copy):
        private_file(path)  # files an older version left readable by others
    if existed:
        take_daily_backup(paths.database)
    return Database(paths.database)


def note_good_open(paths: Paths, device_id: str) -> None:
    """Remember, outside the database, that a store of ``device_id`` lives here."""
    write_marker(paths.store_marker, device_id, encrypted=is_encrypted(paths))
