"""Engines and transactions for SQLite and PostgreSQL.

Writers are serialised: a SQLite writer starts with BEGIN IMMEDIATE, a PostgreSQL writer takes a
transaction-level advisory lock before anything else. Change sequence numbers are handed out inside
that lock, so they commit in the order they were given and a pull cursor can never step over a
change that is still uncommitted (see docs/sync-protocol.md, "Cursors").
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session

from relay_central import stored_json
from relay_central.models import ServerIdentity, ServerState, compact_json

# Arbitrary constant naming "the change feed writer" among PostgreSQL advisory locks.
WRITER_LOCK_KEY = 4_1000_0001
_WRITER_OPTION = "relay_writer"


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is too late).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Freed bytes (a deleted row, an erased field's old text) are zeroed, not left in free
        # space: see relay_central.erasure.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writer = connection.get_execution_options().get(_WRITER_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def make_engine(url: str) -> Engine:
    # Errors never quote a statement's parameters: they are record values, and errors get logged.
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,
            json_deserializer=stored_json.loads,
            json_serializer=compact_json,
        )
        _prepare_sqlite(engine)
        return engine
    return create_engine(
        url, pool_size=10, max_overflow=30, pool_pre_ping=True, hide_parameters=True,
        json_serializer=compact_json,
    )


class Database:
    """One engine, with `reading()` and `writing()` transactions as sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._writer_engine = self.engine.execution_options(**{_WRITER_OPTION: True})

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that holds the single writer lock until it commits or rolls back."""
        with Session(self._writer_engine, expire_on_commit=False) as session, session.begin():
            if self.dialect == "postgresql":
                session.execute(select(func.pg_advisory_xact_lock(WRITER_LOCK_KEY)))
            else:
                session.connection()  # BEGIN IMMEDIATE now, not at the first statement
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def server_state(session: Session) -> ServerState:
    state = session.get(ServerState, 1)
    if state is None:
        raise RuntimeError("the central database is not initialised: run `relay-central db upgrade`")
    return state


def server_identity(session: Session) -> str:
    """The id devices know this server by (made by the migrations, never changed)."""
    identity = session.get(ServerIdentity, 1)
    if identity is None:
        raise RuntimeError("the central database is not initialised: run `relay-central db upgrade`")
    return identity.instance_id


def ensure_server_state(session: Session) -> ServerState:
    state = session.get(ServerState, 1)
    if state is None:
        state = ServerState(
            id=1, server_id=secrets.token_hex(16), last_change_seq=0, pruned_through=0
        )
        session.add(state)
        session.flush()
    return state


def next_change_seq(session: Session) -> int:
    """The next position in the change feed; call only inside `Database.writing()`."""
    state = server_state(session)
    state.last_change_seq += 1
    return state.last_change_seq
