"""Unlocking an encrypted store, changing its passphrase, and saying where it stands.

The passphrase only ever unwraps the data key (``store_key``); the key is then held in memory
(``unlocked``) and checked against the database before anything is written, so a wrong passphrase
changes nothing anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from relay_app.config import Paths
from relay_app.store import remembered
from relay_app.store.cipher import opens_with
from relay_app.store.store_key import (
    KeyFileProblem,
    WrappedKey,
    read_key_file,
    unwrap,
    wrap,
    write_key_file,
)
from relay_app.store.unlocked import drop, held_key, hold, is_encrypted


@dataclass(frozen=True)
class EncryptionStatus:
    encrypted: bool
    remembered: bool  # the key is in this computer's keyring
    keyring_available: bool
    key_file: bool
    key_file_copy: bool

    def to_json(self) -> dict[str, bool]:
        return dict(self.__dict__)


def wrapped_key(paths: Paths) -> WrappedKey:
    """The wrapped key, from beside the database or else from its copy in ``backups/``."""
    try:
        return read_key_file(paths.key_file)
    except KeyFileProblem:
        if not paths.key_file_copy.is_file():
            raise
        return read_key_file(paths.key_file_copy)


def unlock_with_passphrase(paths: Paths, passphrase: str, *, remember: bool = False) -> bytes:
    """Unwrap and hold the data key; ``WrongPassphrase`` (nothing changed) when it does not open."""
    wrapped = wrapped_key(paths)
    key = unwrap(wrapped, passphrase)
    _hold_checked(paths, key)
    if remember:
        remembered.remember(paths.data_dir, wrapped.store_id, key)
    return key


def unlock_remembered(paths: Paths) -> bytes | None:
    """Hold the key the keyring remembers for this store; None when there is none to be had."""
    try:
        wrapped = wrapped_key(paths)
    except KeyFileProblem:
        return None
    key = remembered.recall(paths.data_dir, wrapped.store_id)
    if key is None or (paths.database.exists() and not opens_with(paths.database, key)):
        return None  # a stale entry (the store was rebuilt): the passphrase decides
    hold(paths.data_dir, key)
    return key


def _hold_checked(paths: Paths, key: bytes) -> None:
    from relay_app.store.health import Problem, StoreProblem  # health imports this module's peers

    if paths.database.exists() and paths.database.stat().st_size > 0 and not opens_with(paths.database, key):
        raise StoreProblem(Problem.KEY_MISMATCH, paths)
    hold(paths.data_dir, key)


def lock(paths: Paths) -> None:
    """Forget the key held for this store (the caller closes its connections first)."""
    drop(paths.data_dir)


def change_passphrase(paths: Paths, current: str, new: str) -> None:
    """Re-wrap the data key with ``new``: both key files are rewritten, the data is not touched."""
    wrapped = wrapped_key(paths)
    key = unwrap(wrapped, current)  # WrongPassphrase before anything is written
    rewrapped = wrap(key, new, store_id=wrapped.store_id)
    write_key_file(paths.key_file, rewrapped)
    write_key_file(paths.key_file_copy, rewrapped)
    hold(paths.data_dir, key)


def set_remembered(paths: Paths, on: bool) -> bool:
    """Keep (or forget) the held key in the keyring; returns whether it is remembered now."""
    wrapped = wrapped_key(paths)
    if not on:
        remembered.forget(paths.data_dir, wrapped.store_id)
        return False
    key = held_key(paths.data_dir)
    return key is not None and remembered.remember(paths.data_dir, wrapped.store_id, key)


def encryption_status(paths: Paths, *, ask_keyring: bool = True) -> EncryptionStatus:
    """Where the store stands; ``ask_keyring=False`` skips reading the keyring (which may prompt)."""
    encrypted = is_encrypted(paths)
    available = remembered.keyring_available()
    is_remembered = False
    if encrypted and available and ask_keyring:
        try:
            is_remembered = remembered.recall(paths.data_dir, wrapped_key(paths).store_id) is not None
        except KeyFileProblem:
            is_remembered = False
    return EncryptionStatus(
        encrypted=encrypted,
        remembered=is_remembered,
        keyring_available=available,
        key_file=paths.key_file.is_file(),
        key_file_copy=paths.key_file_copy.is_file(),
    )
