"""Bring a central database to the newest schema (at `serve` start and by `db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from relay_central.db import Database, ensure_server_state

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "central_alembic_version"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError("the central migration history has no head")
    return head


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE}
        )
        return context.get_current_revision()


def upgrade(database: Database, revision: str = "head") -> str | None:
    """Apply the pending migrations and make sure the server's identity row exists."""
    config = _config()
    with database.writing() as session:
        config.attributes["connection"] = session.connection()
        command.upgrade(config, revision)
        ensure_server_state(session)
    return current_revision(database)
