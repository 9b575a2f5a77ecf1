"""`relay-app security encrypt|status|change-passphrase` and opening an encrypted store from the CLI."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.security.conftest import (
    PARTNER,
    PASSPHRASE,
    SECRET_WORDS,
    feed_stdin,
    files_holding,
    folder_hashes,
)


def _store_with_partner(cli: Cli, json_file, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    added = cli("records", "add", "partners", "--json", json_file(PARTNER))
    assert added.code == 0, added.err
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    encrypted = cli("security", "encrypt")
    assert encrypted.code == 0, encrypted.err
    return added.out.strip()


def test_an_existing_store_is_encrypted_and_still_searched_edited_and_listed(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    partner_id = _store_with_partner(cli, json_file, monkeypatch)
    database = data_dir / "relay.sqlite3"
    assert not database.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):  # what `sqlite3` or `strings` would see: nothing
        sqlite3.connect(database).execute("SELECT count(*) FROM sqlite_master").fetchone()

    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    found = cli("records", "list", "partners", "--search", "quetzalcoatlus", "--json")
    assert found.code == 0, found.err
    assert [record["id"] for record in found.json()] == [partner_id]
    updated = cli("records", "update", "partners", partner_id, "--json", json_file({"city": "Nantes"}))
    assert updated.code == 0, updated.err
    shown = cli("records", "show", "partners", partner_id, "--json").json()
    assert shown["city"] == "Nantes"
    status = cli("security", "status", "--json").json()
    assert status["encrypted"] is True and status["key_file"] and status["key_file_copy"]
    for key_file in (data_dir / "store-key.json", data_dir / "backups" / "store-key.json"):
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert PASSPHRASE.encode() not in key_file.read_bytes()
    assert files_holding(data_dir, SECRET_WORDS) == []


def test_without_a_passphrase_and_no_terminal_the_command_says_so_in_one_line(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    _store_with_partner(cli, json_file, monkeypatch)
    feed_stdin(monkeypatch, "")
    outcome = cli("records", "list", "partners")
    assert outcome.code == 1
    assert outcome.err.count("\n") == 1 and "RELAY_PASSPHRASE" in outcome.err


def test_a_wrong_passphrase_is_one_line_exit_1_and_changes_no_byte(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    _store_with_partner(cli, json_file, monkeypatch)
    before = folder_hashes(data_dir)
    monkeypatch.setenv("RELAY_PASSPHRASE", "not the passphrase")
    for command in (("records", "list", "partners"), ("db", "upgrade"), ("db", "backup"), ("status",)):
        outcome = cli(*command)
        assert (outcome.code, outcome.out, outcome.err) == (1, "", "Error: wrong passphrase\n"), command
    feed_stdin(monkeypatch, "new one\n")
    outcome = cli("security", "change-passphrase")
    assert (outcome.code, outcome.err) == (1, "Error: wrong passphrase\n")
    assert folder_hashes(data_dir) == before


def test_changing_the_passphrase_rewraps_the_key_and_leaves_the_data_as_it_is(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    _store_with_partner(cli, json_file, monkeypatch)
    database_before = folder_hashes(data_dir)["relay.sqlite3"]
    feed_stdin(monkeypatch, f"{PASSPHRASE}\nsecond passphrase\n")
    changed = cli("security", "change-passphrase")
    assert changed.code == 0, changed.err
    assert folder_hashes(data_dir)["relay.sqlite3"] == database_before
    key_file = (data_dir / "store-key.json").read_bytes()
    assert key_file == (data_dir / "backups" / "store-key.json").read_bytes()

    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    assert cli("records", "list", "partners").err == "Error: wrong passphrase\n"
    monkeypatch.setenv("RELAY_PASSPHRASE", "second passphrase")
    assert "Quetzalcoatlus" in cli("records", "list", "partners").out


def test_encrypting_twice_or_with_an_empty_passphrase_changes_nothing(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    assert cli("records", "add", "partners", "--json", json_file(PARTNER)).code == 0
    before = folder_hashes(data_dir)
    feed_stdin(monkeypatch, "\n")
    empty = cli("security", "encrypt")
    assert (empty.code, empty.err) == (1, "Error: the passphrase is empty; nothing was changed\n")
    assert folder_hashes(data_dir) == before
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    assert cli("security", "encrypt").code == 0
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    again = cli("security", "encrypt")
    assert (again.code, again.err) == (1, "Error: the store is already encrypted; nothing was changed\n")


def test_a_lost_key_file_is_put_back_from_its_copy_and_a_clear_file_is_never_used(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    _store_with_partner(cli, json_file, monkeypatch)
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    (data_dir / "store-key.json").unlink()
    assert "Quetzalcoatlus" in cli("records", "list", "partners").out
    assert (data_dir / "store-key.json").is_file()

    # Both copies gone: the file is refused as encrypted with its key lost, with what can be done,
    # and left as it is (no new clear store).
    (data_dir / "store-key.json").unlink()
    (data_dir / "backups" / "store-key.json").unlink()
    before = folder_hashes(data_dir)
    lost = cli("records", "list", "partners")
    assert lost.code == 1 and lost.err.count("\n") == 1
    assert "is encrypted, but its key file (store-key.json) is missing" in lost.err
    assert "relay-app security reset --from-server" in lost.err
    assert folder_hashes(data_dir) == before


def test_a_clear_database_put_where_an_encrypted_store_lives_is_refused(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    other = tmp_path / "other"
    assert cli("records", "add", "partners", "--json", json_file(PARTNER), data=other).code == 0
    _store_with_partner(cli, json_file, monkeypatch)
    (data_dir / "relay.sqlite3").write_bytes((other / "relay.sqlite3").read_bytes())
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    refused = cli("records", "list", "partners")
    assert refused.code == 1
    assert "is not encrypted, although this store is" in refused.err


def test_an_encryption_cut_off_after_its_key_was_written_is_finished_at_the_next_open(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    from relay_app.config import resolve_paths
    from relay_app.store import encrypting
    from relay_app.store.store_key import new_data_key, wrap, write_key_file

    assert cli("records", "add", "partners", "--json", json_file(PARTNER)).code == 0
    paths = resolve_paths(data_dir)
    key = new_data_key()
    # The steps of encrypt_store up to the swap, then the power goes.
    encrypting._leave_wal_mode(paths.database)
    encrypting._encrypted_copy(paths.database, key, data_dir / ".relay.sqlite3.encrypted")
    wrapped = wrap(key, PASSPHRASE)
    write_key_file(paths.key_file_copy, wrapped)
    assert (data_dir / "relay.sqlite3").read_bytes().startswith(b"SQLite format 3")

    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    listed = cli("records", "list", "partners")
    assert listed.code == 0, listed.err
    assert "Quetzalcoatlus" in listed.out
    assert not (data_dir / "relay.sqlite3").read_bytes().startswith(b"SQLite format 3")
    assert (data_dir / "store-key.json").is_file() and not (data_dir / ".relay.sqlite3.encrypted").exists()
