"""An encrypted store migrates, backs up and restores like a clear one, with every copy encrypted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from relay_app.config import resolve_paths
from relay_app.store.cipher import connect
from relay_app.store.migrate import current_revision, head_revision, upgrade_database
from relay_app.store.store_key import new_data_key, wrap, write_key_file
from relay_app.store.unlocked import drop_all, hold
from tests.cli.conftest import Cli
from tests.security.conftest import PARTNER, PASSPHRASE, SECRET_WORDS, feed_stdin, files_holding
from tests.store.test_migrations import PARTNER_ID, PRACTICE_ID, STAMP, SYNC_COLUMNS


def _encrypted_store_at(data_dir: Path, revision: str) -> None:
    """An encrypted store made by an older version: Alembic run on the encrypted file itself."""
    paths = resolve_paths(data_dir)
    key = new_data_key()
    wrapped = wrap(key, PASSPHRASE)
    write_key_file(paths.key_file, wrapped)
    write_key_file(paths.key_file_copy, wrapped)
    hold(paths.data_dir, key)
    upgrade_database(paths.database, paths.backups, revision=revision)
    connection = connect(paths.database, key)
    with connection:
        connection.execute(
            f"INSERT INTO partners ({SYNC_COLUMNS}, name, kind, college, country, region, languages, status)"
            " VALUES (?, ?, ?, 0, 'dev', 3, '[\"name\"]', ?, 'member', 'research_education', 'FR',"
            " 'western_europe', '[\"fr\"]', 'active')",
            (PARTNER_ID, STAMP, STAMP, "Ferme Quetzalcoatlus"),
        )
        connection.execute(
            f"INSERT INTO practices ({SYNC_COLUMNS}, title, tutorial_steps, land_use, category, country,"
            " soc_before_t_ha, soc_after_t_ha, partner_id)"
            " VALUES (?, ?, ?, 0, 'dev', NULL, '[]', ?, '[\"Semer\"]', 'cropland', 'agroforestry', 'FR',"
            " 40.0, 42.0, ?)",
            (PRACTICE_ID, STAMP, STAMP, "Couverts de zygopteres", PARTNER_ID),
        )
        connection.execute(
            "INSERT INTO device_identity (singleton, device_id, created_at, last_seq)"
            " VALUES (1, 'b5f0a3e2-1111-4c1e-9c55-0a0b0c0d0e0f', ?, 1)",
            (STAMP,),
        )
    connection.close()
    drop_all()


def test_an_encrypted_store_of_an_older_revision_is_migrated_with_an_encrypted_backup_first(
    cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _encrypted_store_at(data_dir, "0006")
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    upgraded = cli("db", "upgrade")
    assert upgraded.code == 0, upgraded.err
    assert f"revision {head_revision()}" in upgraded.out
    found = cli("records", "list", "practices", "--search", "zygopteres", "--json").json()
    assert [record["id"] for record in found] == [PRACTICE_ID]
    (before_migration,) = (data_dir / "backups").glob("*-rev0006.sqlite3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(before_migration).execute("SELECT count(*) FROM sqlite_master").fetchone()
    paths = resolve_paths(data_dir)
    with pytest.raises(Exception, match="locked"):
        current_revision(paths.database)  # no key held: never opened as a clear file
    assert files_holding(data_dir, SECRET_WORDS) == []


def test_backups_of_an_encrypted_store_are_encrypted_and_restore(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    partner_id = cli("records", "add", "partners", "--json", json_file(PARTNER)).out.strip()
    clear_backup = cli("db", "backup")
    assert clear_backup.code == 0
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    assert cli("security", "encrypt").code == 0
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)

    backup = cli("db", "backup")
    assert backup.code == 0, backup.err
    changed = cli("records", "update", "partners", partner_id, "--json", json_file({"name": "Autre nom"}))
    assert changed.code == 0
    restored = cli("db", "restore", "--latest")
    assert restored.code == 0, restored.err
    assert cli("records", "show", "partners", partner_id, "--json").json()["name"] == PARTNER["name"]

    backups = sorted((data_dir / "backups").glob("*.sqlite3"))
    assert len(backups) >= 2  # the one from before encryption was re-encrypted, not left clear
    for path in [*backups, *(data_dir / "set-aside").glob("*.sqlite3")]:
        assert not path.read_bytes().startswith(b"SQLite format 3"), path
    assert files_holding(data_dir, SECRET_WORDS) == []

    # A backup of another (clear) store cannot be put in place of an encrypted one.
    other = data_dir.parent / "other"
    assert cli("records", "add", "partners", "--json", json_file(PARTNER), data=other).code == 0
    foreign = cli("db", "backup", data=other).out.split(": ", 1)[1].strip()
    refused = cli("db", "restore", foreign)
    assert refused.code == 1 and "is not encrypted" in refused.err


def test_a_damaged_clear_backup_is_removed_rather_than_left_readable(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    assert cli("records", "add", "partners", "--json", json_file(PARTNER)).code == 0
    backup = Path(cli("db", "backup").out.split(": ", 1)[1].strip())
    content = bytearray(backup.read_bytes())
    content[100:4096] = b"\xff" * (4096 - 100)  # the schema page is gone; the records' pages stay
    backup.write_bytes(bytes(content))
    assert b"quetzalcoatlus" in bytes(content).lower()  # damaged, yet still readable with `strings`
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    encrypted = cli("security", "encrypt")
    assert encrypted.code == 0, encrypted.err
    assert not backup.exists()
    assert files_holding(data_dir, SECRET_WORDS) == []
