"""Alembic environment for the local store.

Relay runs migrations itself at start-up (``relay_app.store.migrate``) and hands Alembic an open
connection through ``config.attributes["connection"]``; the URL form is for ``alembic`` run by hand.
"""

from alembic import context
from sqlalchemy import create_engine

from relay_app.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER by copying tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    with create_engine(config.get_main_option("sqlalchemy.url")).connect() as fresh:
        _configure(fresh)
