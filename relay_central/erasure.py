"""Erasing a deleted record's personal data from every copy the server keeps.

The personal fields are those the record's form marks `personal` (a registration's names, e-mail,
phone and organisation). Deleting such a record erases them, in the delete's own transaction, from
the tombstone (`without_personal`, used by push), from every kept version and from every
remembered push answer (`erase_history`). What the database engine may still hold afterwards:

- SQLite overwrites freed bytes with zeros (`PRAGMA secure_delete`, set in relay_central.db); the
  old page images in the write-ahead log go when `flush_wal` moves the log into the file and
  truncates it, right after the erasing push.
- PostgreSQL never overwrites a dead row in place, and plain VACUUM leaves its bytes in the page's
  free space: `compact` rewrites the value tables (VACUUM FULL), run by `relay-central prune`
  and `relay-central erase-now`.

docs/central-operations.md, "Retention and erasure", says what remains where, and for how long.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from relay_app.forms import form_for
from relay_app.i18n import _
from relay_central.admin import AdminError
from relay_central.db import Database
from relay_central.models import AppliedChange, RecordVersion

# The tables that keep record values: the ones `compact` rewrites on PostgreSQL.
VALUE_TABLES: Final = ("records", "record_versions", "applied_changes")
# Answers that carry field values (merged fields, both sides of a conflict).
_ANSWERS_WITH_VALUES: Final = ("merged", "conflict")
# How long the checkpoint after an erasing push waits for readers before leaving it to `compact`.
_CHECKPOINT_WAIT_MS: Final = 2000
_BUSY_TIMEOUT_MS: Final = 30000


class LogInUse(AdminError):
    """SQLite's write-ahead log could not be truncated: a reader was still using it."""


@dataclass(frozen=True)
class Erased:
    """A record deleted at `version`: its personal fields go from that version and all before."""

    kind: str
    id: str
    version: int


@cache
def personal_fields(kind: str) -> frozenset[str]:
    try:
        return frozenset(form_for(kind).personal_field_names())
    except KeyError:
        return frozenset()


def without_personal(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with the personal fields left out (absent, not null: a device's copy keeps its
    own, since a null would not fit its required columns)."""
    personal = personal_fields(kind)
    return {name: value for name, value in values.items() if name not in personal}


def erase_history(session: Session, erased: Iterable[Erased]) -> int:
    """Scrub the personal fields of these deleted records from their kept versions and answers.

    A key is only scrubbed when its version really is stored as deleted, so that a delete whose
    change was rolled back never erases a live record's history. Returns the rows rewritten.
    """
    wanted = {(item.kind, item.id): item.version for item in erased if personal_fields(item.kind)}
    confirmed = {key: version for key, version in wanted.items() if _stored_as_deleted(
        session, key, version)}
    rewritten = 0
    for (kind, record_id), deleted_at in confirmed.items():
        rewritten += _scrub_versions(session, kind, record_id, deleted_at)
    by_kind: dict[str, dict[str, int]] = {}
    for (kind, record_id), deleted_at in confirmed.items():
        by_kind.setdefault(kind, {})[record_id] = deleted_at
    for kind, versions in by_kind.items():
        rewritten += _scrub_answers(session, kind, versions)
    return rewritten


def _stored_as_deleted(session: Session, key: tuple[str, str], version: int) -> bool:
    kind, record_id = key
    return bool(session.scalar(
        select(RecordVersion.deleted).where(
            RecordVersion.kind == kind, RecordVersion.id == record_id,
            RecordVersion.version == version,
        )
    ))


def _scrub_versions(session: Session, kind: str, record_id: str, deleted_at: int) -> int:
    rows = session.execute(
        select(RecordVersion.version, RecordVersion.values).where(
            RecordVersion.kind == kind, RecordVersion.id == record_id,
            RecordVersion.version <= deleted_at,
        )
    ).all()
    personal = personal_fields(kind)
    rewritten = 0
    for version, values in rows:
        if personal & set(values):
            session.execute(
                update(RecordVersion)
                .where(RecordVersion.kind == kind, RecordVersion.id == record_id,
                       RecordVersion.version == version)
                .values(values=without_personal(kind, values))
            )
            rewritten += 1
    return rewritten


def _scrub_answers(session: Session, kind: str, deleted_at: Mapping[str, int]) -> int:
    """Answers keep their shape for replays: merged personal fields are left out, and a conflict
    on a personal field keeps its field name with its three values null."""
    answer = AppliedChange.answer
    rows = session.execute(
        select(AppliedChange.device, AppliedChange.seq, answer).where(
            answer["kind"].as_string() == kind,
            answer["id"].as_string().in_(sorted(deleted_at)),
            answer["status"].as_string().in_(_ANSWERS_WITH_VALUES),
        )
    ).all()
    personal = personal_fields(kind)
    rewritten = 0
    for device, seq, body in rows:
        if int(body.get("version", 0)) > deleted_at[body["id"]]:
            continue  # an answer about a later restore: not erased data
        scrubbed = _scrubbed_answer(body, personal)
        if scrubbed != body:
            session.execute(
                update(AppliedChange)
                .where(AppliedChange.device == device, AppliedChange.seq == seq)
                .values(answer=scrubbed)
            )
            rewritten += 1
    return rewritten


def _scrubbed_answer(body: Mapping[str, Any], personal: frozenset[str]) -> dict[str, Any]:
    scrubbed = dict(body)
    merged = body.get("merged_fields")
    if isinstance(merged, dict):
        scrubbed["merged_fields"] = {k: v for k, v in merged.items() if k not in personal}
    conflicts = body.get("conflicts")
    if isinstance(conflicts, list):
        scrubbed["conflicts"] = [
            {**c, "server_value": None, "client_value": None, "base_value": None}
            if isinstance(c, dict) and c.get("field") in personal else c
            for c in conflicts
        ]
    return scrubbed


# --- what the engine keeps of erased bytes ----------------------------------------------------


def flush_wal(database: Database) -> bool:
    """SQLite: move the write-ahead log into the file and truncate it, so that the page images it
    held before an erasure are gone. True when done; False when a reader kept it busy (then
    `compact`, run by `prune` and `erase-now`, does it) or on PostgreSQL."""
    if database.dialect != "sqlite":
        return False
    connection = database.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={_CHECKPOINT_WAIT_MS}")
        try:
            busy, _log, _moved = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            cursor.close()
        return not busy
    finally:
        connection.close()


def compact(database: Database, *, rebuild: bool = False) -> Sequence[str]:
    """Leave no erased or deleted bytes in the database files; returns what was done.

    SQLite: the WAL is moved into the file and truncated; `rebuild` also rewrites the whole file
    (VACUUM), which drops free pages written before secure_delete was on. PostgreSQL: the value
    tables are rewritten (VACUUM FULL: each is locked against reads and writes while it runs).
    """
    done: list[str] = []
    if database.dialect == "sqlite":
        connection = database.engine.raw_connection()
        try:
            cursor = connection.cursor()
            if rebuild:
                cursor.execute("VACUUM")
                done.append("VACUUM")
            busy, _log, _moved = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            cursor.close()
            if busy:
                raise LogInUse(_("The database's write-ahead log is in use; run the command "
                                 "again in a moment."))
            done.append("wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        return done
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in VALUE_TABLES:
            connection.exec_driver_sql(f"VACUUM FULL {table}")
            done.append(f"VACUUM FULL {table}")
    return done
