"""Files and folders that hold personal data are for their owner only, whatever the umask says.

The data folder is 0700 and the database, its -wal/-shm files, backups, drafts and exports are 0600.
Modes are set explicitly rather than left to the umask: a umask of 022 (the usual default) would
otherwise leave every record readable by any account on the machine. On Windows ``chmod`` only
toggles the read-only flag, and the user's profile folder is already private, so nothing is done there.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed and make it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Make an existing file readable by its owner only; a missing one is left missing."""
    with contextlib.suppress(FileNotFoundError):
        _tighten(path, PRIVATE_FILE_MODE)


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty and private before anyone writes to it; False if it already existed.

    SQLite gives a new database's -wal and -shm files the mode of the database file itself, so a
    database created this way stays private with its companions.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    try:
        if os.name == "posix":
            os.fchmod(descriptor, PRIVATE_FILE_MODE)
    finally:
        os.close(descriptor)
    return True


def _tighten(path: Path, mode: int) -> None:
    if os.name != "posix":
        return
    status = path.stat()
    if stat.S_IMODE(status.st_mode) == mode:
        return
    # A folder shared on purpose (sticky, like /tmp), someone else's, the root of a disk or the home
    # folder is not ours to close, whatever was chosen as the data folder.
    if status.st_uid != os.geteuid() or status.st_mode & stat.S_ISVTX:
        return
    if stat.S_ISDIR(status.st_mode) and (path.parent == path or path == Path.home().resolve()):
        return
    os.chmod(path, mode)
