"""The migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from relay_central.db import Database, server_state
from relay_central.migrate import VERSION_TABLE, head_revision, upgrade
from relay_central.models import Base


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    database = Database(database_url)
    try:
        assert upgrade(database) == head_revision()
        assert upgrade(database) == head_revision()  # a second run changes nothing
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "version_table": VERSION_TABLE}
            )
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
        with database.reading() as session:
            state = server_state(session)
            assert state.last_change_seq == 0 and len(state.server_id) == 32
    finally:
        database.dispose()
