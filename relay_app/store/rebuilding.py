"""A forgotten passphrase: the encrypted store is set aside, whole, and a new one is started.

Nothing can open the old store without its passphrase, so nothing in it can be read, counted or
carried over: its unsent changes, if any, are lost. It is not deleted either (the passphrase may
come back): the database, its key files, backups, set-aside copies, drafts, sync credentials and
marker move together into ``set-aside/forgotten-<time>/``, which stays a complete, openable store.
The new store is encrypted from its first byte (no clear moment), then enrolled and filled by a
full pull.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from relay_app.config import Paths
from relay_app.i18n import _
from relay_app.private_files import private_dir
from relay_app.store import remembered
from relay_app.store.backups import COMPANIONS
from relay_app.store.store_key import KeyFileProblem, new_data_key, read_key_file, wrap, write_key_file
from relay_app.store.unlocked import drop, hold, is_encrypted

_STORE_FILES = ("credentials.json", "store.json")  # belong to the old store and its device
_STORE_FOLDERS = ("drafts",)


class RebuildRefused(Exception):
    """The store cannot be set aside now; nothing was changed."""


def set_aside_forgotten_store(paths: Paths) -> Path:
    """Move the whole encrypted store of ``paths`` into a folder of its own; returns the folder."""
    from relay_app.store.health import marked_encrypted  # health sits above this module

    if not (is_encrypted(paths) or marked_encrypted(paths)):
        raise RebuildRefused(_("the store is not encrypted: there is no passphrase to forget"))
    # No "in use" check: nothing can have this store open, since nothing can open it without
    # the forgotten passphrase (a window unlocked by the keyring would not need this at all).
    try:
        store_id = read_key_file(paths.key_file if paths.key_file.is_file() else paths.key_file_copy).store_id
    except KeyFileProblem:
        store_id = None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = private_dir(paths.set_aside) / f"forgotten-{stamp}"
    private_dir(target)
    moves = [paths.database, *(paths.database.with_name(paths.database.name + s) for s in COMPANIONS)]
    moves += [paths.key_file, paths.backups]
    moves += [paths.data_dir / name for name in (*_STORE_FILES, *_STORE_FOLDERS)]
    for source in moves:
        if source.exists():
            os.replace(source, target / source.name)
    old_copies = [path for path in paths.set_aside.iterdir() if path.is_file()]
    if old_copies:  # encrypted with the old key: they belong with it
        kept = private_dir(target / paths.set_aside.name)
        for path in old_copies:
            os.replace(path, kept / path.name)
    drop(paths.data_dir)
    if store_id is not None:
        remembered.forget(paths.data_dir, store_id)
    return target


def create_encrypted_store(paths: Paths, passphrase: str) -> None:
    """Write the key files of a new store and hold its key: the database is created encrypted."""
    if not passphrase:
        raise RebuildRefused(_("the passphrase is empty"))
    if paths.database.exists() or is_encrypted(paths):
        raise RebuildRefused(_("a store already lives in {folder}").format(folder=paths.data_dir))
    key = new_data_key()
    wrapped = wrap(key, passphrase)
    private_dir(paths.backups)
    write_key_file(paths.key_file_copy, wrapped)
    write_key_file(paths.key_file, wrapped)
    hold(paths.data_dir, key)

