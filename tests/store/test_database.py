"""The local SQLite file: where it lives, how it is opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from relay_app.config import DATA_DIR_VARIABLE, resolve_paths
from relay_app.store.database import Database
from relay_app.store.migrate import upgrade_database


def test_data_dir_argument_wins_over_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "from-env"))
    assert resolve_paths(tmp_path / "from-arg").data_dir == (tmp_path / "from-arg").resolve()
    assert resolve_paths().data_dir == (tmp_path / "from-env").resolve()
    assert (tmp_path / "from-env").is_dir()


def test_default_data_dir_is_the_platform_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_dir

    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    assert resolve_paths().data_dir == Path(user_data_dir("Relay", "4p1000")).resolve()


def test_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "relay.sqlite3"
    upgrade_database(path)
    database = Database(path)
    try:
        with database.read() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        database.close()


def test_failed_write_block_commits_nothing(tmp_path: Path) -> None:
    path = tmp_path / "relay.sqlite3"
    upgrade_database(path)
    database = Database(path)
    try:
        with pytest.raises(RuntimeError), database.write() as session:
            session.execute(text("INSERT INTO sync_state(key, value, updated_at) VALUES ('k', 'v', 'now')"))
            raise RuntimeError("crash in the middle of the write")
        with database.read() as session:
            assert session.execute(text("SELECT count(*) FROM sync_state")).scalar() == 0
    finally:
        database.close()
