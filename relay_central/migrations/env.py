"""Alembic environment of the central server.

`relay-central db upgrade` and `relay-central serve` run it through relay_central.migrate, which
hands over an open connection in ``config.attributes["connection"]``.
"""

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from relay_central.models import Base

VERSION_TABLE = "central_alembic_version"

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_given = config.attributes.get("connection")
if _given is not None:
    _run(_given)
else:
    with create_engine(config.get_main_option("sqlalchemy.url") or "").connect() as _fresh:
        _run(_fresh)
