"""Encrypted stores driven through the real command line, with no keyring unless a test gives one."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from relay_app.store.unlocked import drop_all, set_key_source
from tests.cli.conftest import Outcome, cli, data_dir, json_file  # noqa: F401  (fixtures)
from tests.sync.conftest import central, start_central  # noqa: F401  (a real server on 127.0.0.1)
from tests.ui.conftest import make_window  # noqa: F401  (a main window over the clear store)

PASSPHRASE = "grand-lac tapis 1987 ouest"
PARTNER = {
    "name": "Ferme Quetzalcoatlus",
    "kind": "member",
    "college": "research_education",
    "country": "FR",
    "email": "xochiquetzal.contact@example.org",
    "description": "Parcelles de zygopteres au bord du Ruisseaubrunique",
}
# The words of PARTNER that must never be readable in a file of the data folder, also as the
# full-text index stores them (lower case).
SECRET_WORDS = ("Quetzalcoatlus", "xochiquetzal", "zygopteres", "Ruisseaubrunique")


@pytest.fixture(autouse=True)
def no_keyring_no_leftover_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RELAY_KEYRING", "off")  # never a developer's own keyring
    monkeypatch.setenv("RELAY_TOKEN_STORE", "file")
    monkeypatch.delenv("RELAY_PASSPHRASE", raising=False)
    yield
    _delete_closed_windows()  # before their store's key goes: a later language switch reloads them
    drop_all()
    set_key_source(None)


def _delete_closed_windows() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def folder_hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def files_holding(folder: Path, words: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (file, word) where a word appears in a file's bytes, in UTF-8, any case."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        content = path.read_bytes().lower()
        for word in words:
            for form in (word.lower().encode("utf-8"), word.lower().encode("utf-16-le")):
                if form in content:
                    found.append((str(path.relative_to(folder)), word))
    return found


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring (a service of the system, not a part of Relay)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


@pytest.fixture
def os_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("RELAY_KEYRING")
    yield backend
    keyring.set_keyring(previous)
