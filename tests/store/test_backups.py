"""Backups of the local database, the refusal of a store that was emptied or damaged, and restore.

Everything runs on real SQLite files in a real data folder; a damaged store is made the way it
happens (a file truncated to nothing, overwritten, or stripped of its tables) and its bytes are
compared before and after Relay looked at it.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from relay_app.config import BackupPolicy, Paths
from relay_app.services import open_services
from relay_app.store.backups import (
    RestoreRefused,
    check_backup,
    latest_backup,
    list_backups,
    prune,
    restore,
    store_in_use,
    take_backup,
)
from relay_app.store.health import Problem, StoreProblem
from tests.factories import partner


def _store_with_a_partner(paths: Paths) -> tuple[str, str]:
    """A store with one partner; returns (device id, partner id)."""
    with open_services(paths) as services:
        record = services.records("partners").create(partner(name="Sols vivants"))
        return services.device_id, record.id


def _blank_sqlite_file(path: Path) -> None:
    """A sound SQLite file without a single table, as a failed copy or a foreign tool may leave."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE scratch(a)")
    connection.execute("DROP TABLE scratch")
    connection.close()


def test_emptied_database_is_refused_naming_the_latest_backup(paths: Paths) -> None:
    """A database truncated to 0 bytes used to become a new store with a new device id."""
    _store_with_a_partner(paths)
    backup = take_backup(paths.database, "manual")
    paths.database.write_bytes(b"")

    with pytest.raises(StoreProblem) as refused:
        open_services(paths)

    assert refused.value.problem is Problem.EMPTY
    message = str(refused.value)
    assert str(backup.path) in message
    assert "relay-app db restore --latest" in message
    assert "\n" not in message
    assert paths.database.read_bytes() == b""  # not turned into a new database
    assert not (paths.data_dir / "relay.sqlite3-wal").exists()


def test_emptied_database_is_refused_even_without_backups(paths: Paths) -> None:
    """store.json alone tells that a store lived here."""
    _store_with_a_partner(paths)
    assert not list_backups(paths.backups)
    paths.database.write_bytes(b"")
    with pytest.raises(StoreProblem) as refused:
        open_services(paths)
    assert refused.value.latest_backup is None
    assert "no backup" in str(refused.value)
    assert paths.database.read_bytes() == b""


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda path: path.write_bytes(b"Relay was here " * 300), Problem.NOT_SQLITE),
        (lambda path: (path.unlink(), _blank_sqlite_file(path)), Problem.NO_SCHEMA),
        (lambda path: path.unlink(), Problem.MISSING),
    ],
    ids=["not-sqlite", "no-tables", "deleted"],
)
def test_damaged_database_is_refused_and_left_as_it_was(paths: Paths, damage, problem: Problem) -> None:  # type: ignore[no-untyped-def]
    """Overwritten, emptied of its tables, deleted: each was silently replaced by a new store."""
    _store_with_a_partner(paths)
    take_backup(paths.database, "manual")
    damage(paths.database)
    before = paths.database.read_bytes() if paths.database.exists() else None

    with pytest.raises(StoreProblem) as refused:
        open_services(paths)

    assert refused.value.problem is problem
    assert "relay-app db restore --latest" in str(refused.value)
    after = paths.database.read_bytes() if paths.database.exists() else None
    assert after == before


def test_fresh_data_folder_still_creates_a_store(paths: Paths) -> None:
    """No database, no store.json, no backup: a first start, which makes a store and marks it."""
    assert not paths.database.exists()
    with open_services(paths) as services:
        device_id = services.device_id
    assert device_id
    assert device_id in paths.store_marker.read_text(encoding="utf-8")


def test_restore_latest_brings_back_the_records_and_the_device_id(paths: Paths) -> None:
    """The emptied file is moved aside, unchanged; the backup's records and device id come back."""
    device_id, partner_id = _store_with_a_partner(paths)
    backup = take_backup(paths.database, "manual")
    paths.database.write_bytes(b"not a database any more")

    restored = restore(paths, backup.path)

    assert restored.device_id == device_id
    assert restored.set_aside is not None and restored.set_aside.read_bytes() == b"not a database any more"
    with open_services(paths) as services:
        assert services.device_id == device_id
        assert services.records("partners").get(partner_id).values["name"] == "Sols vivants"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(paths: Paths) -> None:
    _store_with_a_partner(paths)
    backup = take_backup(paths.database, "manual")
    with sqlite3.connect(backup.path) as copy:
        page_size = copy.execute("PRAGMA page_size").fetchone()[0]
        root = copy.execute("SELECT rootpage FROM sqlite_master WHERE name = 'partners'").fetchone()[0]
    raw = bytearray(backup.path.read_bytes())
    start = (root - 1) * page_size
    raw[start : start + 64] = b"\xff" * 64  # a bad disk sector in the partners table
    backup.path.write_bytes(bytes(raw))
    current = paths.database.read_bytes()

    with pytest.raises(RestoreRefused):
        restore(paths, backup.path)

    assert paths.database.read_bytes() == current
    assert not paths.set_aside.exists()


def test_restore_refuses_a_file_that_is_no_relay_store(paths: Paths, tmp_path: Path) -> None:
    _store_with_a_partner(paths)
    foreign = tmp_path / "other.sqlite3"
    _blank_sqlite_file(foreign)
    with pytest.raises(RestoreRefused, match="tables are missing"):
        check_backup(foreign)


def test_restore_is_refused_while_the_store_is_open(paths: Paths) -> None:
    """A window (or any command) with the store open keeps it: restoring under it would be lost."""
    _store_with_a_partner(paths)
    backup = take_backup(paths.database, "manual")
    with open_services(paths) as services:
        services.status()  # the connection now holds SQLite's shared lock
        assert store_in_use(paths.database)
        with pytest.raises(RestoreRefused, match="open in another Relay"):
            restore(paths, backup.path)
    assert not store_in_use(paths.database)
    assert not paths.set_aside.exists()


def test_backups_are_rotated_to_a_bounded_number(paths: Paths) -> None:
    _store_with_a_partner(paths)
    policy = BackupPolicy(keep_last=4, keep_days=7)
    taken = [take_backup(paths.database, "manual", policy=policy) for _ in range(9)]
    assert [backup.path for backup in list_backups(paths.backups)] == [backup.path for backup in taken[-4:]]
    assert latest_backup(paths.backups) == taken[-1]


def test_rotation_keeps_one_backup_per_day_for_the_last_days(paths: Paths) -> None:
    """Beyond the newest few, the newest backup of each recent day stays; older days go."""
    _store_with_a_partner(paths)
    model = take_backup(paths.database, "manual", policy=BackupPolicy(keep_last=50))
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    names = []
    for days_ago in range(10):
        for hour in (8, 18):
            moment = now - timedelta(days=days_ago) + timedelta(hours=hour - 12)
            name = f"relay-{moment.strftime('%Y%m%dT%H%M%S%fZ')}-sync.sqlite3"
            shutil.copyfile(model.path, paths.backups / name)
            names.append(name)
    model.path.unlink()

    prune(paths.backups, BackupPolicy(keep_last=3, keep_days=7), now=now)

    kept = {backup.path.name for backup in list_backups(paths.backups)}
    newest_three = set(sorted(names)[-3:])
    evening_of_last_week = {
        f"relay-{(now - timedelta(days=d) + timedelta(hours=6)).strftime('%Y%m%dT%H%M%S%fZ')}-sync.sqlite3"
        for d in range(7)
    }
    assert kept == newest_three | evening_of_last_week
    assert len(kept) == 8  # the evenings of the last 7 days, and this morning among the 3 newest


def test_policy_comes_from_the_environment(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELAY_BACKUPS_KEEP", "2")
    monkeypatch.setenv("RELAY_BACKUPS_DAYS", "0")
    _store_with_a_partner(paths)
    for _ in range(5):
        take_backup(paths.database, "manual")
    assert len(list_backups(paths.backups)) == 2


def test_import_takes_a_backup_first_and_a_dry_run_does_not(paths: Paths) -> None:
    from relay_app.transfer.reading import SourceRow

    _store_with_a_partner(paths)
    rows = [SourceRow(2, partner(name="Terres d'avenir"))]
    with open_services(paths) as services:
        before = list_backups(paths.backups)  # the day's first backup, taken at this open
        services.import_rows("partners", rows, dry_run=True)
        assert list_backups(paths.backups) == before
        services.import_rows("partners", rows)
    backup = latest_backup(paths.backups)
    assert backup is not None and backup.reason == "import" and backup not in before
    with sqlite3.connect(backup.path) as copy:  # taken before the rows were written
        assert copy.execute("SELECT count(*) FROM partners").fetchone()[0] == 1


def test_a_day_old_store_gets_its_daily_backup_at_open(paths: Paths) -> None:
    _store_with_a_partner(paths)
    backup = take_backup(paths.database, "manual")
    yesterday = (datetime.now(UTC) - timedelta(hours=25)).strftime("%Y%m%dT%H%M%S%fZ")
    backup.path.rename(paths.backups / f"relay-{yesterday}-manual.sqlite3")
    open_services(paths).close()
    open_services(paths).close()
    assert [b.reason for b in list_backups(paths.backups)] == ["manual", "daily"]
