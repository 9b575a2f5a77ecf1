"""`relay-app db backup|backups|restore`, and commands refusing a store that was emptied or damaged.

Run in-process against real data folders; the sync test talks to a real central server on
127.0.0.1. Damaged files are compared byte for byte before and after Relay saw them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from relay_app.config import resolve_paths
from relay_app.store.backups import list_backups
from tests.central.harness import Central
from tests.cli.conftest import Cli
from tests.sync.conftest import REGIONS, central, file_token_store, start_central  # noqa: F401 - fixtures

PARTNER = '{"name": "Sols vivants", "kind": "member", "college": "research_education", "country": "FR"}'


def _add_partner(cli: Cli, tmp_path: Path) -> str:
    source = tmp_path / "partner.json"
    source.write_text(PARTNER, encoding="utf-8")
    added = cli("records", "add", "partners", "--json", str(source))
    assert added.code == 0, added.err
    return added.out.strip()


def test_emptied_database_is_refused_then_restored_with_its_device_id(
    cli: Cli, data_dir: Path, tmp_path: Path
):
    """Before: `status` on an emptied file made a new store with a new device id and exited 0."""
    partner_id = _add_partner(cli, tmp_path)
    device_id = cli("status", "--json").json()["device_id"]
    saved = cli("db", "backup")
    assert saved.code == 0 and "Backup saved" in saved.out
    database = data_dir / "relay.sqlite3"
    database.write_bytes(b"")

    refused = cli("status")
    assert refused.code == 1
    assert refused.err.count("\n") == 1
    latest = list_backups(resolve_paths(data_dir).backups)[-1]
    assert str(latest.path) in refused.err and "relay-app db restore --latest" in refused.err
    assert database.read_bytes() == b""
    assert cli("db", "current").code == 1
    assert cli("records", "list", "partners").code == 1
    assert database.read_bytes() == b""

    restored = cli("db", "restore", "--latest")
    assert restored.code == 0, restored.err
    assert device_id in restored.out and "set-aside" in restored.out
    status = cli("status", "--json").json()
    assert status["device_id"] == device_id
    assert status["counts"]["partners"] == 1
    assert cli("records", "show", "partners", partner_id).code == 0
    (kept,) = (data_dir / "set-aside").glob("relay-*.sqlite3")
    assert kept.read_bytes() == b""


def test_restore_a_named_backup_file(cli: Cli, data_dir: Path, tmp_path: Path):
    _add_partner(cli, tmp_path)
    cli("db", "backup")
    copy = tmp_path / "kept-on-a-usb-stick.sqlite3"
    shutil.copyfile(list_backups(resolve_paths(data_dir).backups)[-1].path, copy)
    _add_partner(cli, tmp_path)
    assert cli("status", "--json").json()["counts"]["partners"] == 2

    assert cli("db", "restore", str(copy)).code == 0
    assert cli("status", "--json").json()["counts"]["partners"] == 1


def test_restore_needs_a_file_or_latest(cli: Cli):
    assert cli("db", "restore").code == 2


def test_restore_latest_without_backups_says_so(cli: Cli, data_dir: Path):
    assert cli("status").code == 0
    outcome = cli("db", "restore", "--latest")
    assert outcome.code == 1
    assert "no backup" in outcome.err


def test_restore_of_a_file_that_is_no_backup_changes_nothing(cli: Cli, data_dir: Path, tmp_path: Path):
    _add_partner(cli, tmp_path)
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("meeting notes", encoding="utf-8")
    before = (data_dir / "relay.sqlite3").read_bytes()
    outcome = cli("db", "restore", str(bogus))
    assert outcome.code == 1 and "not an SQLite database" in outcome.err
    assert (data_dir / "relay.sqlite3").read_bytes() == before
    assert not (data_dir / "set-aside").exists()


def test_backups_are_listed_newest_first(cli: Cli, tmp_path: Path):
    assert "No backups" in cli("db", "backups").out
    _add_partner(cli, tmp_path)
    cli("db", "backup")
    cli("db", "backup")
    listed = cli("db", "backups", "--json").json()
    assert [entry["reason"] for entry in listed][:2] == ["manual", "manual"]
    assert listed[0]["taken_at"] >= listed[1]["taken_at"]


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Read-only for this process: chmod for a normal account; root needs the immutable flag."""
    if os.geteuid() != 0:
        os.chmod(path, 0o400)
        yield
        os.chmod(path, 0o600)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode != 0:
        pytest.skip("running as root on a filesystem without the immutable flag")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_database_is_refused_and_left_alone(cli: Cli, data_dir: Path, tmp_path: Path):
    _add_partner(cli, tmp_path)
    database = data_dir / "relay.sqlite3"
    before = database.read_bytes()
    with _read_only(database):
        outcome = cli("status")
    assert outcome.code == 1
    assert "read-only" in outcome.err and outcome.err.count("\n") == 1
    assert database.read_bytes() == before


def test_import_from_the_command_line_takes_a_backup_first(cli: Cli, data_dir: Path, tmp_path: Path):
    _add_partner(cli, tmp_path)
    rows = tmp_path / "partners.json"
    rows.write_text(f"[{PARTNER.replace('Sols vivants', 'Terres vivantes')}]", encoding="utf-8")
    assert cli("records", "import", "partners", str(rows)).code == 0
    assert "import" in [backup.reason for backup in list_backups(resolve_paths(data_dir).backups)]


def test_sync_from_the_command_line_takes_a_backup_first(
    cli: Cli, tmp_path: Path, central: Central  # noqa: F811 - the fixture imported above
):
    """A real sync against the real central server, then the backups are listed."""
    enrolled = cli("enroll", "--server", central.url, "--code", central.relay(REGIONS))
    assert enrolled.code == 0, enrolled.err
    _add_partner(cli, tmp_path)
    backups_before = {entry["file"] for entry in cli("db", "backups", "--json").json()}

    synced = cli("sync")
    assert synced.code == 0, synced.err

    new = [entry for entry in cli("db", "backups", "--json").json() if entry["file"] not in backups_before]
    assert [entry["reason"] for entry in new] == ["sync"]
