"""The SQLite engine and its sessions.

Writes take SQLite's write lock up front (``BEGIN IMMEDIATE``) so two writers never deadlock on a lock
upgrade and a sequence number read inside a write transaction cannot be taken twice. Reads use plain
deferred transactions, which in WAL mode never wait for a writer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

from relay_app.private_files import create_private_file

_IMMEDIATE = "relay_begin_immediate"


def _json_dumps(value: Any) -> str:
    # Keep accents readable in the file (and findable by the full-text index).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(path: Path) -> Engine:
    if path.parent.is_dir():
        # SQLite would create the file with the umask's mode (often readable by all); made private
        # here first, its -wal and -shm files take the same mode.
        create_private_file(path)
    engine = create_engine(
        f"sqlite:///{path}",
        json_serializer=_json_dumps,
        connect_args={"timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One local SQLite file: read sessions, and write sessions that commit atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        # Committed writes of this process: lets a cache of many records (the map's neighbours)
        # know it is still current without reading them again.
        self.writes = 0

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work commits together at the end of the block, or not at all."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{_IMMEDIATE: True})
            with connection.begin(), Session(bind=connection, expire_on_commit=False) as session:
                yield session
                session.flush()
            self.writes += 1

    def close(self) -> None:
        self.engine.dispose()
