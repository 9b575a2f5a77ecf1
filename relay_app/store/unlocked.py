"""Which encrypted stores are unlocked in this process, and with what data key.

A store is encrypted when its folder holds ``store-key.json``. Its data key is held here, in
memory only, from the moment the passphrase (or the OS keyring) unwrapped it until the store is
locked again (the window's idle lock) or the process ends. Every connection to any file of that
store, backups included, takes the key from here, so no caller passes keys around and no code
path can open an encrypted file without it, or open it in the clear by mistake.

A front end (the command line, the window) may register how a key is obtained when a store is
opened locked (``set_key_source``); the core itself never asks anyone anything.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from relay_app.config import BACKUPS_FOLDER, SET_ASIDE_FOLDER, STORE_KEY_FILE, Paths
from relay_app.i18n import _
from relay_app.private_files import create_private_file, private_dir

KeySource = Callable[[Paths], bytes]

_lock = threading.Lock()
_keys: dict[Path, bytes] = {}  # data folder → data key
_source: KeySource | None = None
_INNER_FOLDERS = (BACKUPS_FOLDER, SET_ASIDE_FOLDER)


class StoreLocked(Exception):
    """The store is encrypted and no key for it is held: nothing was opened, nothing changed."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            _("the store in {folder} is encrypted and locked: a passphrase is needed").format(folder=data_dir)
        )
        self.data_dir = data_dir


def folder_is_encrypted(folder: Path) -> bool:
    return (folder / STORE_KEY_FILE).is_file()


def is_encrypted(paths: Paths) -> bool:
    """The store of ``paths`` is encrypted (either copy of its key file is there)."""
    return paths.key_file.is_file() or paths.key_file_copy.is_file()


def is_locked(data_dir: Path) -> bool:
    """An encrypted store whose key is not held (a clear store is never locked)."""
    return folder_is_encrypted(data_dir) and held_key(data_dir) is None


def hold(data_dir: Path, key: bytes) -> None:
    with _lock:
        _keys[data_dir.resolve()] = key


def drop(data_dir: Path) -> None:
    with _lock:
        _keys.pop(data_dir.resolve(), None)


def drop_all() -> None:
    """Forget every held key (a command is done; a window locks everything)."""
    with _lock:
        _keys.clear()


def held_key(data_dir: Path) -> bytes | None:
    with _lock:
        return _keys.get(data_dir.resolve())


def key_for_file(database: Path) -> bytes | None:
    """The key to open ``database`` (the store itself, a backup, a set-aside copy) with.

    None for a file of a clear store. ``StoreLocked`` for a file of an encrypted store whose key
    is not held: it is never opened as a clear file instead.
    """
    return key_for_folder(database.resolve().parent)


def key_for_folder(folder: Path) -> bytes | None:
    """The key for files in ``folder`` (a data folder, its backups/ or set-aside/); see ``key_for_file``."""
    store = store_folder(folder.resolve())
    if store is None:
        return None
    key = held_key(store)
    if key is None:
        raise StoreLocked(store)
    return key


def store_folder(folder: Path) -> Path | None:
    """The data folder of the encrypted store ``folder`` belongs to (itself, or the one above
    ``backups/`` and ``set-aside/``); None when it belongs to a clear store."""
    if folder_is_encrypted(folder.parent) and folder.name in _INNER_FOLDERS:
        return folder.parent
    return folder if folder_is_encrypted(folder) else None


def set_key_source(source: KeySource | None) -> None:
    global _source
    _source = source


def ensure_unlocked(paths: Paths) -> None:
    """Get the key of an encrypted, locked store from the registered source, or raise ``StoreLocked``."""
    if not is_encrypted(paths):
        return
    _mend_key_copies(paths)
    if held_key(paths.data_dir) is not None:
        return
    if _source is None:
        raise StoreLocked(paths.data_dir)
    hold(paths.data_dir, _source(paths))


def _mend_key_copies(paths: Paths) -> None:
    """Put back whichever copy of the wrapped key is missing (it is useless without the passphrase)."""
    main, copy = paths.key_file, paths.key_file_copy
    if main.is_file() and not copy.is_file():
        private_dir(copy.parent)
        _copy_private(main, copy)
    elif copy.is_file() and not main.is_file():
        _copy_private(copy, main)


def _copy_private(source: Path, target: Path) -> None:
    temp = target.with_name(f".{target.name}.tmp")
    temp.unlink(missing_ok=True)
    create_private_file(temp)
    shutil.copyfile(source, temp)
    os.replace(temp, target)
