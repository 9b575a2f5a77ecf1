"""Schema migrations of the local database, applied at start-up with a backup first."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from relay_app.store.backups import take_backup
from relay_app.store.database import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migration history has no head"
    return head


def current_revision(database: Path) -> str | None:
    """The revision the file is at; None for a new or never-migrated file."""
    if not database.exists():
        return None
    engine = make_engine(database)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_database(
    database: Path, backups_dir: Path | None = None, revision: str = "head"
) -> str | None:
    """Bring ``database`` to ``revision``; an existing database is backed up before it changes.

    Returns the revision the file is at afterwards.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    before = current_revision(database)
    target = head_revision() if revision == "head" else revision
    if before == target:
        return before
    if before is not None:
        take_backup(database, f"rev{before}", folder=backups_dir)
    engine = make_engine(database)
    try:
        with engine.begin() as connection:
            config = _config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    return current_revision(database)
