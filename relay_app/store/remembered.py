"""“Remember on this computer”: the data key kept in the OS keyring, a second way to unwrap it.

Only when the person asks. The keyring is often missing (headless Linux, frozen apps: see
jaraco/keyring #591) or refuses; then nothing is remembered and the passphrase is asked as usual,
so a keyring can never be the only way in. ``RELAY_KEYRING=off`` turns it off for one run (tests).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

SERVICE = "relay-app"
VARIABLE = "RELAY_KEYRING"

_log = logging.getLogger(__name__)


def _account(data_dir: Path, store_id: str) -> str:
    return f"store-key:{store_id}|{data_dir.resolve()}"


def keyring_available() -> bool:
    """A keyring to remember the store's key in (not when ``RELAY_KEYRING=off``)."""
    if os.environ.get(VARIABLE, "").lower() == "off":
        return False
    return keyring_backend_usable()


def keyring_backend_usable() -> bool:
    """The OS keyring answers here: a real backend, not keyring's "fail" one or a null one."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return bool(getattr(backend, "priority", 0) and backend.priority > 0)


def remember(data_dir: Path, store_id: str, data_key: bytes) -> bool:
    """Keep the key in the keyring; False (nothing kept) when there is no usable keyring."""
    if not keyring_available():
        return False
    import keyring

    try:
        keyring.set_password(SERVICE, _account(data_dir, store_id), data_key.hex())
    except Exception as error:  # a locked or refusing keyring: the passphrase stays the way in
        _log.warning("The keyring refused to keep the store key: %s", type(error).__name__)
        return False
    return True


def recall(data_dir: Path, store_id: str) -> bytes | None:
    """The remembered key, or None (not remembered, no keyring, or the keyring failed)."""
    if not keyring_available():
        return None
    import keyring

    try:
        value = keyring.get_password(SERVICE, _account(data_dir, store_id))
        return bytes.fromhex(value) if value else None
    except Exception as error:
        _log.warning("The keyring could not be read: %s", type(error).__name__)
        return None


def forget(data_dir: Path, store_id: str) -> None:
    if not keyring_available():
        return
    import keyring

    try:
        keyring.delete_password(SERVICE, _account(data_dir, store_id))
    except Exception:  # not remembered, or the keyring is gone: nothing to forget
        return
