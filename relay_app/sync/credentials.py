"""Where a device keeps its token: the OS keyring, or a private file where no keyring exists.

Headless machines (and the tests, via ``RELAY_TOKEN_STORE=file``) have no keyring backend; there the
token goes to ``credentials.json`` in the data dir, readable by its owner only (0600).

A token belongs to a server, not to an address: it is kept under the id the server reports
(``token_key``), so the same server reached at another address finds it. Versions before server
ids kept it under the URL; ``find`` still reads it there.

In an encrypted store the file is sealed with the store's data key: a lost laptop's token must
not let its finder pull the relay's records from the server.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from relay_app.store.remembered import keyring_backend_usable
from relay_app.store.sealed import MAGIC, seal, unseal
from relay_app.store.unlocked import key_for_folder

STORE_VARIABLE = "RELAY_TOKEN_STORE"  # "file" forces the file, "keyring" the keyring
SERVICE = "relay-app"
FILE_NAME = "credentials.json"
_SEALED_PURPOSE = "credentials"


def token_key(server_id: str | None, server_url: str) -> str:
    """Where the token for this server is kept: its id, or its URL if it reports no id (older)."""
    return f"server:{server_id}" if server_id else server_url


class TokenStore:
    """Tokens per server (see ``token_key``) for one data dir."""

    def __init__(self, data_dir: Path, backend: str | None = None) -> None:
        self.path = data_dir / FILE_NAME
        wanted = backend or os.environ.get(STORE_VARIABLE, "auto")
        use_keyring = wanted == "keyring" or (wanted == "auto" and keyring_backend_usable())
        self.backend = "keyring" if use_keyring else "file"

    def load(self, key: str) -> str | None:
        if self.backend == "keyring":
            import keyring

            return keyring.get_password(SERVICE, _account(self.path, key))
        return self._read().get(key)

    def find(self, server_id: str | None, server_url: str) -> str | None:
        """The token for this server: under its id, else where an older version kept it."""
        if server_id:
            token = self.load(token_key(server_id, server_url))
            if token:
                return token
        return self.load(server_url)

    def save(self, key: str, token: str) -> None:
        if self.backend == "keyring":
            import keyring

            keyring.set_password(SERVICE, _account(self.path, key), token)
            return
        tokens = self._read()
        tokens[key] = token
        self._write(tokens)

    def forget(self, key: str) -> None:
        if self.backend == "keyring":
            import keyring
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, _account(self.path, key))
            return
        tokens = self._read()
        if tokens.pop(key, None) is not None:
            self._write(tokens)

    def _read(self) -> dict[str, str]:
        try:
            content = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        data_key = key_for_folder(self.path.parent)
        if data_key is not None and content.startswith(MAGIC):
            content = unseal(data_key, _SEALED_PURPOSE, self.path.name, content)
        return dict(json.loads(content.decode("utf-8")))

    def seal(self) -> bool:
        """Seal a clear file of tokens once the store is encrypted; True when one was sealed."""
        if self.backend == "file" and self.path.is_file() and not self.path.read_bytes().startswith(MAGIC):
            self._write(self._read())
            return True
        return False

    def _write(self, tokens: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        # Created private from the start: the token is never readable by others, not even briefly.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        content = json.dumps(tokens).encode("utf-8")
        data_key = key_for_folder(self.path.parent)
        if data_key is not None:
            content = seal(data_key, _SEALED_PURPOSE, self.path.name, content)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)


def _account(data_dir_file: Path, key: str) -> str:
    # One installation per data dir: two data dirs on one machine keep separate tokens.
    return f"{key}|{data_dir_file.parent}"
