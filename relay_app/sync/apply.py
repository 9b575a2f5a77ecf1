"""Pulled pages written to the local store, each page together with the cursor that follows it.

A record with unsent local edits keeps them: the server's values fill only the fields this device
has not changed, and its base version stays where the edits started, so the next push is merged by
the server against the right base and a field edited on both sides comes back as a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from relay_app.store.database import Database
from relay_app.store.models import RECORD_MODELS, PendingChange, SnapshotSeen, SyncedRecord
from relay_app.store.types import utc_now
from relay_app.sync.state import CURSOR, SNAPSHOT, write_state
from relay_app.sync.values import set_wire_values
from relay_app.sync.wire import PullItem, PullResponse


@dataclass(frozen=True)
class PageOutcome:
    applied: int
    kept_local: int
    removed: int = 0


def apply_page(database: Database, page: PullResponse, *, snapshot: bool) -> PageOutcome:
    """Write ``page`` and its ``next_cursor`` in one transaction: never a cursor without its data.

    ``snapshot`` is true while a resync's full snapshot is pulled; its last page removes the synced
    local records the snapshot did not contain (never one with unsent changes).
    """
    applied = kept = removed = 0
    with database.write() as session:
        pending = _pending_keys(session, page.items)
        for item in page.items:
            if _apply_item(session, item, pending.get((item.kind, item.id))):
                applied += 1
            else:
                kept += 1
            if snapshot:
                session.merge(SnapshotSeen(kind=item.kind, record_id=item.id))
        if snapshot and not page.has_more:
            removed = _remove_unseen(session)
            write_state(session, SNAPSHOT, None)
        write_state(session, CURSOR, page.next_cursor)
    return PageOutcome(applied=applied, kept_local=kept, removed=removed)


def start_snapshot(database: Database, fresh_cursor: str) -> None:
    """The server asked for a resync: pull everything again from ``fresh_cursor``."""
    with database.write() as session:
        session.execute(delete(SnapshotSeen))
        write_state(session, SNAPSHOT, "1")
        write_state(session, CURSOR, fresh_cursor)


def _pending_keys(session: Session, items: list[PullItem]) -> dict[tuple[str, str], PendingChange]:
    found: dict[tuple[str, str], PendingChange] = {}
    ids = list({item.id for item in items})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for entry in session.scalars(select(PendingChange).where(PendingChange.record_id.in_(chunk))):
            found[(entry.kind, entry.record_id)] = entry
    return found


def _apply_item(session: Session, item: PullItem, entry: PendingChange | None) -> bool:
    """True when the server's state was taken as a whole; False when local edits were kept."""
    model = RECORD_MODELS[item.kind]
    row: SyncedRecord | None = session.scalars(
        select(model).where(model.id == item.id)  # type: ignore[attr-defined]
    ).one_or_none()
    now = utc_now()
    if row is None:
        if item.deleted:
            return True  # a record this device never held and nobody needs any more
        row = model(id=item.id, created_at=now, updated_at=now, deleted=False, dirty_fields=[])
        set_wire_values(item.kind, row, item.values, skip=set())
        row.base_version = item.version
        session.add(row)
        return True
    if row.base_version is not None and item.version < row.base_version:
        return True  # older than what this device already holds
    dirty = set(row.dirty_fields or ())
    if entry is None and not dirty:
        changed = set_wire_values(item.kind, row, item.values, skip=set())
        row.base_version = item.version
        if row.deleted != item.deleted:
            row.deleted = item.deleted
            row.deleted_at = now if item.deleted else None
            changed = True
        if changed:
            row.updated_at = now
        return True
    # Unsent local changes: take the server's other fields, keep ours and the base they start from.
    if not (entry is not None and entry.op == "delete") and set_wire_values(
        item.kind, row, item.values, skip=dirty
    ):
        row.updated_at = now
    return False


def _remove_unseen(session: Session) -> int:
    """After a full snapshot: synced records the server no longer has, unless edited here."""
    removed = 0
    pending = {(kind, rid) for kind, rid in session.execute(
        select(PendingChange.kind, PendingChange.record_id))}
    seen = {(kind, rid) for kind, rid in session.execute(
        select(SnapshotSeen.kind, SnapshotSeen.record_id))}
    for kind, model in RECORD_MODELS.items():
        rows = session.scalars(
            select(model).where(model.base_version.is_not(None))  # type: ignore[attr-defined]
        )
        for row in rows:
            key = (kind, row.id)
            if key in seen or key in pending or row.dirty_fields:
                continue
            session.delete(row)
            removed += 1
    session.execute(delete(SnapshotSeen))
    return removed
