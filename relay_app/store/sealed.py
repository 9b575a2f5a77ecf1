"""Small files outside the database (drafts) sealed with the store's data key.

Each purpose gets its own subkey (HKDF-SHA256 of the data key), so the key that opens the
database is never used directly for anything else; each file is AES-256-GCM with a fresh nonce,
its purpose and file name bound as associated data, so a sealed file cannot be passed off as
another.
"""

from __future__ import annotations

import secrets

MAGIC = b"RELAYSEAL1"


class Unsealable(Exception):
    """Not a sealed file, or not sealed with this key and name."""


def _subkey(data_key: bytes, purpose: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"relay:{purpose}".encode()).derive(
        data_key
    )


def seal(data_key: bytes, purpose: str, name: str, plain: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_subkey(data_key, purpose)).encrypt(nonce, plain, f"{purpose}/{name}".encode())
    return MAGIC + nonce + sealed


def unseal(data_key: bytes, purpose: str, name: str, blob: bytes) -> bytes:
    if not blob.startswith(MAGIC):
        raise Unsealable(name)
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce, sealed = blob[len(MAGIC):len(MAGIC) + 12], blob[len(MAGIC) + 12:]
    try:
        return AESGCM(_subkey(data_key, purpose)).decrypt(nonce, sealed, f"{purpose}/{name}".encode())
    except InvalidTag:
        raise Unsealable(name) from None
