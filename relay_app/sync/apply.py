"""Pulled pages written to the local store, each page together with the cursor that follows it.

A record with unsent local edits keeps them: the server's values fill only the fields this device
has not changed, and its base version stays where the edits started, so the next push is merged by
the server against the right base and a field edited on both sides comes back as a conflict.

A record that left this relay's scope (``out_of_scope``: a registration whose forum moved to
another region) is removed with its unsent changes and conflicts, and nothing is pushed for it.

Protocol 2 leaves out the values of this device's own changes coming back (``values`` None). A copy
at that version or later needs nothing; an older one (a lost receipt, a restored backup) has its
key stored with the page, and the engine fetches those records (``sync/records``) after the pull.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from relay_app.store.database import Database
from relay_app.store.models import (
    SYNCED_MODELS,
    PendingChange,
    RecordToFetch,
    SnapshotSeen,
    SyncConflict,
    SyncedRecord,
)
from relay_app.store.types import utc_now
from relay_app.sync.state import CURSOR, CURSOR_PROTOCOL, SNAPSHOT, write_state
from relay_app.sync.values import set_wire_values
from relay_app.sync.wire import PROTOCOL_VERSION, PullItem, PullResponse, RecordKey


@dataclass(frozen=True)
class PageOutcome:
    applied: int
    kept_local: int
    removed: int = 0
    # Own changes coming back without values: already held, or stored to be fetched.
    echoed: int = 0
    to_fetch: int = 0


def apply_page(database: Database, page: PullResponse, *, snapshot: bool) -> PageOutcome:
    """Write ``page`` and its ``next_cursor`` in one transaction: never a cursor without its data.

    ``snapshot`` is true while a resync's full snapshot is pulled; its last page removes the synced
    local records the snapshot did not contain (never one with unsent changes).
    """
    applied = kept = removed = echoed = to_fetch = 0
    with database.write() as session:
        pending = _pending_keys(session, page.items)
        for item in page.items:
            if item.out_of_scope:
                removed += _forget(session, item)
                continue  # never "seen" by a snapshot: the server no longer shows it here
            if item.values is None:
                echoed += 1
                to_fetch += _note_echo(session, item)
            elif _apply_item(session, item, pending.get((item.kind, item.id))):
                applied += 1
            else:
                kept += 1
            if snapshot:
                session.merge(SnapshotSeen(kind=item.kind, record_id=item.id))
        if snapshot and not page.has_more:
            removed = _remove_unseen(session)
            write_state(session, SNAPSHOT, None)
        write_state(session, CURSOR, page.next_cursor)
        write_state(session, CURSOR_PROTOCOL, str(PROTOCOL_VERSION))
    return PageOutcome(applied=applied, kept_local=kept, removed=removed, echoed=echoed,
                       to_fetch=to_fetch)


def fetch_again(session: Session, kind: str, record_id: str) -> None:
    """Have the next sync fetch this record's latest version by key (``sync/records``)."""
    if session.get(RecordToFetch, (kind, record_id)) is None:
        session.add(RecordToFetch(kind=kind, record_id=record_id, version=0, created_at=utc_now()))


def keys_to_fetch(database: Database) -> list[RecordKey]:
    """Records announced without values that this device holds at an older version."""
    with database.read() as session:
        rows = session.scalars(
            select(RecordToFetch).order_by(RecordToFetch.created_at, RecordToFetch.record_id)
        )
        return [RecordKey(kind=row.kind, id=row.record_id) for row in rows]  # type: ignore[arg-type]


def apply_fetched(database: Database, asked: list[RecordKey], items: list[PullItem]) -> int:
    """Write the fetched records and forget every asked key, in one transaction.

    A key the server left out (no longer readable, or gone) has nothing to fetch: it goes too.
    Returns how many records were written.
    """
    applied = 0
    with database.write() as session:
        pending = _pending_keys(session, items)
        for item in items:
            if item.values is None:
                continue  # not what was asked for; its key goes, the next echo brings it back
            _apply_item(session, item, pending.get((item.kind, item.id)))
            applied += 1
        for key in asked:
            found = session.get(RecordToFetch, (key.kind, key.id))
            if found is not None:
                session.delete(found)
    return applied


def start_snapshot(database: Database, fresh_cursor: str | None) -> None:
    """Pull everything again from ``fresh_cursor`` (the server asked for a resync), or from the
    start of the feed (None)."""
    with database.write() as session:
        session.execute(delete(SnapshotSeen))
        write_state(session, SNAPSHOT, "1")
        write_state(session, CURSOR, fresh_cursor)
        write_state(session, CURSOR_PROTOCOL, str(PROTOCOL_VERSION))


def _forget(session: Session, item: PullItem) -> int:
    """The record left this relay's scope: remove every trace of it here, and queue nothing.

    Unsent edits of it go too: the server refuses changes to records outside the relay's regions.
    Returns 1 when a local copy was removed.
    """
    for model in (PendingChange, SyncConflict):
        session.execute(delete(model).where(model.kind == item.kind,
                                            model.record_id == item.id))
    fetch = session.get(RecordToFetch, (item.kind, item.id))
    if fetch is not None:
        session.delete(fetch)
    row = _local_row(session, item.kind, item.id)
    if row is None:
        return 0
    session.delete(row)
    return 1


def _pending_keys(session: Session, items: list[PullItem]) -> dict[tuple[str, str], PendingChange]:
    found: dict[tuple[str, str], PendingChange] = {}
    ids = list({item.id for item in items})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for entry in session.scalars(select(PendingChange).where(PendingChange.record_id.in_(chunk))):
            found[(entry.kind, entry.record_id)] = entry
    return found


def _note_echo(session: Session, item: PullItem) -> int:
    """An own change announced without values: 1 when its key is stored to be fetched, else 0."""
    row = _local_row(session, item.kind, item.id)
    if row is None and item.deleted:
        return 0  # gone everywhere, and never held here: nothing to fetch
    if row is not None and row.base_version is not None and row.base_version >= item.version:
        return 0  # this device holds that version already (its push answer said so)
    key = session.get(RecordToFetch, (item.kind, item.id))
    if key is None:
        session.add(RecordToFetch(kind=item.kind, record_id=item.id, version=item.version,
                                  created_at=utc_now()))
    else:
        key.version = max(key.version, item.version)
    return 1


def _local_row(session: Session, kind: str, record_id: str) -> SyncedRecord | None:
    model = SYNCED_MODELS[kind]
    return session.scalars(
        select(model).where(model.id == record_id)  # type: ignore[attr-defined]
    ).one_or_none()


def _apply_item(session: Session, item: PullItem, entry: PendingChange | None) -> bool:
    """True when the server's state was taken as a whole; False when local edits were kept."""
    assert item.values is not None
    model = SYNCED_MODELS[item.kind]
    row = _local_row(session, item.kind, item.id)
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
    for kind, model in SYNCED_MODELS.items():
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
