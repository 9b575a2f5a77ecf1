"""Where a device keeps its token: the OS keyring, or a private file where no keyring exists.

Headless machines (and the tests, via ``RELAY_TOKEN_STORE=file``) have no keyring backend; there the
token goes to ``credentials.json`` in the data dir, readable by its owner only (0600).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

STORE_VARIABLE = "RELAY_TOKEN_STORE"  # "file" forces the file, "keyring" the keyring
SERVICE = "relay-app"
FILE_NAME = "credentials.json"


class TokenStore:
    """Tokens per server URL for one data dir."""

    def __init__(self, data_dir: Path, backend: str | None = None) -> None:
        self.path = data_dir / FILE_NAME
        wanted = backend or os.environ.get(STORE_VARIABLE, "auto")
        use_keyring = wanted == "keyring" or (wanted == "auto" and _keyring_usable())
        self.backend = "keyring" if use_keyring else "file"

    def load(self, server_url: str) -> str | None:
        if self.backend == "keyring":
            import keyring

            return keyring.get_password(SERVICE, _account(self.path, server_url))
        return self._read().get(server_url)

    def save(self, server_url: str, token: str) -> None:
        if self.backend == "keyring":
            import keyring

            keyring.set_password(SERVICE, _account(self.path, server_url), token)
            return
        tokens = self._read()
        tokens[server_url] = token
        self._write(tokens)

    def forget(self, server_url: str) -> None:
        if self.backend == "keyring":
            import keyring
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, _account(self.path, server_url))
            return
        tokens = self._read()
        if tokens.pop(server_url, None) is not None:
            self._write(tokens)

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def _write(self, tokens: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        # Created private from the start: the token is never readable by others, not even briefly.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(tokens, handle)
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)


def _account(data_dir_file: Path, server_url: str) -> str:
    # One installation per data dir: two data dirs on one machine keep separate tokens.
    return f"{server_url}|{data_dir_file.parent}"


def _keyring_usable() -> bool:
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
    priority = getattr(backend, "priority", 0)
    return bool(priority and priority > 0)
