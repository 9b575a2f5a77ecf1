"""The data key of an encrypted store, kept only wrapped by the person's passphrase.

An encrypted database is opened with a random 256-bit data key (SQLCipher's raw key: no key
derivation per connection). That key never touches the disk in clear: ``store-key.json`` holds
it encrypted with AES-256-GCM under a key derived from the passphrase by Argon2id. A wrong
passphrase fails GCM's authentication, so it is told apart from a damaged database without
touching the database. Changing the passphrase rewrites this small file, never the data.

The file is written twice: beside the database and in ``backups/`` (whose copies are encrypted
with the same data key), so losing one copy loses nothing. Losing both, or the passphrase, leaves
only a rebuild from the server (``relay-app security reset --from-server``).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from relay_app.config import STORE_KEY_FILE as KEY_FILE
from relay_app.i18n import _
from relay_app.private_files import PRIVATE_FILE_MODE

FORMAT = "relay-store-key/1"
KEY_BYTES = 32
_AAD = FORMAT.encode("ascii")  # binds the ciphertext to this format: no swapping fields across versions


@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost: RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes), ~0.2 s."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


@dataclass(frozen=True)
class WrappedKey:
    """What ``store-key.json`` holds: the data key sealed by a passphrase, and how to unseal it."""

    store_id: str  # names the store in the OS keyring; not secret
    salt: bytes
    nonce: bytes
    sealed: bytes
    kdf: KdfParams

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "store_id": self.store_id,
            "kdf": {"name": "argon2id", "time_cost": self.kdf.time_cost,
                    "memory_kib": self.kdf.memory_kib, "parallelism": self.kdf.parallelism},
            "salt": _b64(self.salt),
            "cipher": "aes-256-gcm",
            "nonce": _b64(self.nonce),
            "sealed_key": _b64(self.sealed),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> WrappedKey:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown key file format {data.get('format')!r}")
        kdf = data["kdf"]
        assert isinstance(kdf, dict)
        return cls(
            store_id=str(data["store_id"]),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            sealed=_unb64(data["sealed_key"]),
            kdf=KdfParams(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"])),
        )


class WrongPassphrase(Exception):
    def __init__(self) -> None:
        super().__init__(_("wrong passphrase"))


class KeyFileProblem(Exception):
    """The key file is missing or unreadable: the encrypted database cannot be opened."""


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def wrap(data_key: bytes, passphrase: str, *, store_id: str | None = None,
         kdf: KdfParams | None = None) -> WrappedKey:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # loaded by encrypted stores only

    kdf = kdf or KdfParams()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_derive(passphrase, salt, kdf)).encrypt(nonce, data_key, _AAD)
    return WrappedKey(store_id or uuid.uuid4().hex, salt, nonce, sealed, kdf)


def unwrap(wrapped: WrappedKey, passphrase: str) -> bytes:
    """The data key; ``WrongPassphrase`` when the passphrase does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = AESGCM(_derive(passphrase, wrapped.salt, wrapped.kdf)).decrypt(
            wrapped.nonce, wrapped.sealed, _AAD
        )
    except InvalidTag:
        raise WrongPassphrase() from None
    if len(key) != KEY_BYTES:
        raise WrongPassphrase()
    return key


def _derive(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode("utf-8"), salt, kdf.time_cost, kdf.memory_kib, kdf.parallelism, KEY_BYTES, Type.ID
    )


# --- the key files ------------------------------------------------------------------------------


def key_file_for(database: Path) -> Path:
    """The key file that says ``database`` is encrypted: the one in the same folder."""
    return database.parent / KEY_FILE


def read_key_file(path: Path) -> WrappedKey:
    try:
        return WrappedKey.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise KeyFileProblem(_("the key file {file} is missing").format(file=path)) from None
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as error:
        raise KeyFileProblem(
            _("the key file {file} cannot be read ({reason})").format(file=path, reason=error)
        ) from None


def write_key_file(path: Path, wrapped: WrappedKey) -> None:
    """Write atomically and durably, private from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".store-key.", suffix=".tmp", dir=path.parent)
    try:
        if os.name == "posix":
            os.fchmod(handle, PRIVATE_FILE_MODE)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(wrapped.to_json(), stream, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(value: object) -> bytes:
    return base64.b64decode(str(value), validate=True)
