"""Raw connections to a database file, clear (sqlite3) or encrypted (SQLCipher 4 through sqlcipher3).

Every connection to an encrypted file is keyed with the raw 256-bit data key as its very first
statement (``PRAGMA key = "x'…'"``): SQLCipher then skips its per-connection PBKDF2, so opening
costs a fraction of a millisecond. Which file is encrypted, and with what key, is decided by
``relay_app.store.unlocked``; this module only opens.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from relay_app.store.store_key import KEY_BYTES


def driver(key: bytes | None) -> ModuleType:
    """The DB-API module for a file: sqlite3 for a clear one, sqlcipher3's for an encrypted one."""
    if key is None:
        return sqlite3
    from sqlcipher3 import dbapi2  # loaded only for encrypted stores

    return dbapi2


def key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("a data key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def apply_key(connection: Any, key: bytes) -> None:
    """Key a fresh sqlcipher3 connection (first statement), and keep SQLCipher's log off stderr."""
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(key_pragma(key))


def connect(path: Path, key: bytes | None, *, read_only: bool = False, **options: Any) -> Any:
    """A DB-API connection to ``path``; ``read_only`` never creates or changes the file."""
    module = driver(key)
    target: str | Path = f"{path.resolve().as_uri()}?mode=ro" if read_only else path
    connection = module.connect(target, uri=read_only, **options)
    if key is not None:
        try:
            apply_key(connection, key)
        except BaseException:
            connection.close()
            raise
    return connection


def opens_with(path: Path, key: bytes) -> bool:
    """True when ``key`` decrypts ``path`` (reads its first page; changes nothing)."""
    module = driver(key)
    try:
        connection = connect(path, key, read_only=True)
    except module.DatabaseError:
        return False
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except module.DatabaseError:
        return False
    finally:
        connection.close()
