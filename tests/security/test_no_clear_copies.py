"""After encryption and a day of use, no record's text can be read from any file of the data folder.

The data folder is read byte by byte: the database, its -wal/-shm, backups, set-aside copies,
drafts, logs, the sync credentials, temporary files. Everything goes through the real command line
and a real central server on 127.0.0.1.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from relay_app.config import resolve_paths
from relay_app.log_file import LOGGER, start_log
from relay_app.services.drafts import DraftStore
from relay_app.store.encryption import unlock_with_passphrase
from relay_app.store.unlocked import drop_all
from tests.central.harness import Central
from tests.cli.conftest import Cli
from tests.security.conftest import PARTNER, PASSPHRASE, SECRET_WORDS, feed_stdin, files_holding
from tests.sync.conftest import REGIONS

PULLED = {**PARTNER, "name": "Cooperative Brontosaurio", "email": "brontosaurio.achats@example.org"}
PULLED_WORDS = ("Brontosaurio",)
DRAFT_WORDS = ("Pterodactylique",)
LOGGED_WORDS = ("Ankylosaurique",)


def _log_an_error_quoting(paths_dir: Path, word: str) -> None:
    """What the window's log gets when an error's message quotes a value someone typed."""
    start_log(resolve_paths(paths_dir))
    try:
        raise ValueError(f"cannot save {word!r}")
    except ValueError:
        logging.getLogger(LOGGER).critical("Uncaught error", exc_info=True)
    for handler in logging.getLogger(LOGGER).handlers:
        handler.flush()


def test_nothing_readable_remains_after_encrypting_and_using_the_store(
    cli: Cli, json_file, data_dir: Path, central: Central, tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A clear store with a day's worth of copies: records, a backup, a restore's set-aside copy,
    # a draft, a log quoting a value, sync credentials in a file.
    assert cli("enroll", "--server", central.url, "--code", central.relay(REGIONS)).code == 0
    partner_id = cli("records", "add", "partners", "--json", json_file(PARTNER)).out.strip()
    assert cli("sync").code == 0
    assert cli("db", "backup").code == 0
    assert cli("db", "restore", "--latest").code == 0
    DraftStore(data_dir / "drafts").save("partners-new-1", "partners", None, {"name": DRAFT_WORDS[0]})
    _log_an_error_quoting(data_dir, LOGGED_WORDS[0])
    assert files_holding(data_dir, SECRET_WORDS), "the clear store should show its text"

    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    encrypted = cli("security", "encrypt")
    assert encrypted.code == 0, encrypted.err
    assert "1 draft sealed." in encrypted.out

    # Another relay adds a partner; the encrypted laptop pulls it, edits, searches, backs up.
    other = tmp_path / "other"
    assert cli("enroll", "--server", central.url, "--code", central.relay(REGIONS), data=other).code == 0
    assert cli("records", "add", "partners", "--json", json_file(PULLED), data=other).code == 0
    assert cli("sync", data=other).code == 0
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    synced = cli("sync")
    assert synced.code == 0, synced.err
    found = cli("records", "list", "partners", "--search", "brontosaurio", "--json").json()
    assert [record["name"] for record in found] == [PULLED["name"]]
    assert cli("records", "update", "partners", partner_id, "--json", json_file({"city": "Nantes"})).code == 0
    assert cli("sync").code == 0
    assert cli("db", "backup").code == 0

    # The window's work while unlocked: a draft and an error in the log.
    unlock_with_passphrase(resolve_paths(data_dir), PASSPHRASE)
    drafts = DraftStore(data_dir / "drafts")
    drafts.save("partners-new-2", "partners", None, {"name": DRAFT_WORDS[0] + " bis"})
    assert {draft.values["name"] for draft in drafts.all()} == {DRAFT_WORDS[0], DRAFT_WORDS[0] + " bis"}
    _log_an_error_quoting(data_dir, LOGGED_WORDS[0])
    drop_all()

    everything = SECRET_WORDS + PULLED_WORDS + DRAFT_WORDS + LOGGED_WORDS
    assert files_holding(data_dir, everything) == []
    assert b"server:" not in (data_dir / "credentials.json").read_bytes()  # the token file is sealed
    assert not list(data_dir.rglob("*.json.tmp")) and not list(data_dir.rglob(".*.encrypting"))
    # ... and the clear relay next to it does show them: the test reads what it claims to read.
    assert files_holding(other, PULLED_WORDS)

