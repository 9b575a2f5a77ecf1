"""Read-only views of the outbox and the sync history, as plain rows for the window and support.

Nothing here writes: what leaves the outbox is decided by the sync engine alone, on the server's
receipt. The export is for a person sending their state to support, so it names records by their
summary as well as their id.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay_app.forms import form_for
from relay_app.i18n import _
from relay_app.services.outbox import pending_count
from relay_app.store.database import Database
from relay_app.store.models import SYNCED_MODELS, PendingChange, SyncRun
from relay_app.sync.identity import enrolled_token
from relay_app.sync.state import RELAY_NAME, SERVER_URL, read_state

HISTORY_LIMIT = 100
SUMMARY_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


@dataclass(frozen=True)
class OutboxRow:
    """One pending change: which record, what kind of change, and how its sending went so far."""

    seq: int
    kind: str
    record_id: str
    summary: str
    op: str  # upsert | delete
    fields: tuple[str, ...]
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    updated_at: datetime
    # Sent, but the server's receipt is not stored yet: it stays here until the receipt arrives.
    awaiting_receipt: bool

    @property
    def kind_label(self) -> str:
        """What the record is, in the current language ("Partners", "Files", ...)."""
        return _(form_for(self.kind).label)

    def to_json(self) -> dict[str, Any]:
        values = asdict(self)
        values["fields"] = list(self.fields)
        for key in ("next_attempt_at", "updated_at"):
            value = values[key]
            values[key] = value.isoformat() if value is not None else None
        return values


@dataclass(frozen=True)
class SyncRunRow:
    id: int
    server_url: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str  # running, ok, failed, cancelled
    pushed: int
    pulled: int
    conflicts: int
    rejected: int
    bytes_sent: int
    bytes_received: int
    error: str | None

    def to_json(self) -> dict[str, Any]:
        values = asdict(self)
        values["started_at"] = self.started_at.isoformat()
        values["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return values


def outbox_rows(database: Database, limit: int | None = None) -> list[OutboxRow]:
    """Pending changes, oldest first (the first ``limit``), each with its record's summary."""
    with database.read() as session:
        query = select(PendingChange).order_by(PendingChange.seq)
        if limit is not None:
            query = query.limit(limit)
        entries = session.scalars(query).all()
        summaries = _summaries(session, entries)
        return [
            OutboxRow(
                seq=entry.seq, kind=entry.kind, record_id=entry.record_id,
                summary=summaries.get((entry.kind, entry.record_id), ""), op=entry.op,
                fields=tuple(entry.fields or ()), attempts=entry.attempts or 0,
                last_error=entry.last_error, next_attempt_at=entry.next_attempt_at,
                updated_at=entry.updated_at, awaiting_receipt=entry.sent_seq is not None,
            )
            for entry in entries
        ]


def _summaries(session: Session, entries: Sequence[PendingChange]) -> dict[tuple[str, str], str]:
    """One query per kind (in chunks), not one per entry: the outbox may hold thousands."""
    wanted: dict[str, list[str]] = {}
    for entry in entries:
        wanted.setdefault(entry.kind, []).append(entry.record_id)
    found: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        model = SYNCED_MODELS.get(kind)
        if model is None:
            continue
        form = form_for(kind)  # a file's title is its caption, else its file name
        names = form.field_names()
        for start in range(0, len(ids), SUMMARY_CHUNK):
            chunk = ids[start : start + SUMMARY_CHUNK]
            records = session.scalars(select(model).where(model.id.in_(chunk))).all()  # type: ignore[attr-defined]
            for record in records:
                values = {name: getattr(record, name) for name in names}
                found[(kind, record.id)] = form.summary(values)
    return found


def outbox_size(database: Database) -> int:
    with database.read() as session:
        return pending_count(session)


def sync_history(database: Database, limit: int = HISTORY_LIMIT) -> list[SyncRunRow]:
    """The latest sync runs, newest first."""
    with database.read() as session:
        runs = session.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(limit)).all()
        return [
            SyncRunRow(
                id=run.id, server_url=run.server_url, started_at=run.started_at,
                finished_at=run.finished_at, outcome=run.outcome, pushed=run.pushed or 0,
                pulled=run.pulled or 0, conflicts=run.conflicts or 0, rejected=run.rejected or 0,
                bytes_sent=run.bytes_sent or 0, bytes_received=run.bytes_received or 0,
                error=run.error,
            )
            for run in runs
        ]


def export_for_support(database: Database, path: Path, device_id: str) -> int:
    """Write the outbox and the recent sync history to ``path`` as JSON; returns the change count.

    Written to a temporary file first, so a half-written export never replaces a good one.
    """
    changes = outbox_rows(database)
    document = {
        "device_id": device_id,
        "pending_changes": [row.to_json() for row in changes],
        "sync_runs": [run.to_json() for run in sync_history(database)],
    }
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)
    return len(changes)


@dataclass(frozen=True)
class EnrolmentState:
    server_url: str | None
    relay_name: str | None
    enrolled: bool  # a server is stored and this data dir holds its device token


def enrolment_state(database: Database, data_dir: Path) -> EnrolmentState:
    with database.read() as session:
        url = read_state(session, SERVER_URL)
        relay = read_state(session, RELAY_NAME)
    token = enrolled_token(database, data_dir)
    return EnrolmentState(server_url=url, relay_name=relay, enrolled=bool(url and token))
