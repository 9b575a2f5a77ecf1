"""Every import is a batch: listed, and undone as a whole while its records are unchanged.

The batch keeps the records the import created, each with its ``updated_at`` at the end of the
import, and the records it updated, each with the values the import replaced (only the fields it
changed, as JSON) and its ``updated_at`` after the import. Undo deletes the created ones and puts
the old values back on the updated ones, through the records service (tombstones and edits that
sync like any others), in the same transaction as the check that none was changed since; it is
refused, naming them, when any was (its ``updated_at`` moved: an edit here, one pulled from the
server, a delete). Batches made before the values were kept (migration 0009) leave their updates
as they are: undo says how many there were.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from relay_app.i18n import _, ngettext
from relay_app.services.errors import ServiceError
from relay_app.services.outbox import reserve_seqs
from relay_app.services.records import CHUNK, RecordService
from relay_app.store.database import Database
from relay_app.store.models import RECORD_MODELS, ImportBatch, ImportBatchRecord, ImportBatchUpdate
from relay_app.store.types import utc_now
from relay_app.sync.values import column_value

SHOWN_NAMES = 5


class UndoRefused(ServiceError):
    """An undo that cannot be done; ``str(error)`` says why, naming the records."""


@dataclass(frozen=True)
class BatchView:
    id: str
    kind: str
    file_name: str
    imported_at: datetime
    created: int
    updated: int
    undone_at: datetime | None
    values_kept: bool = True  # False for a batch made before the replaced values were kept (0009)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "file_name": self.file_name,
            "imported_at": self.imported_at.isoformat(),
            "created": self.created,
            "updated": self.updated,
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
            "values_kept": self.values_kept,
        }


def _view(row: ImportBatch, kept: bool) -> BatchView:
    return BatchView(
        row.id, row.kind, row.file_name, row.imported_at, row.created, row.updated, row.undone_at,
        values_kept=kept or not row.updated,
    )


def _with_values(session: Session) -> set[str]:
    """The batches whose replaced values were kept."""
    return set(session.scalars(select(ImportBatchUpdate.batch_id).distinct()))


@dataclass(frozen=True)
class ReplacedValues:
    """What an import changed on an existing record: the values before (JSON-ready, the changed
    fields only) and the record's ``updated_at`` once the import had written."""

    previous: dict[str, Any]
    version: datetime
    version_before: datetime


def record_batch(
    session: Session,
    kind: str,
    file_name: str,
    created: Sequence[tuple[str, datetime]],
    updated: int,
    replaced: Mapping[str, ReplacedValues] | None = None,
) -> str:
    """Write the batch of an import inside its transaction; returns the batch id.

    ``updated`` counts the rows that changed a record; ``replaced`` holds, by record id, what undo
    needs to put each of those records back.
    """
    batch_id = str(uuid.uuid4())
    session.add(
        ImportBatch(
            id=batch_id, kind=kind, file_name=file_name[:260], imported_at=utc_now(),
            created=len(created), updated=updated,
        )
    )
    session.flush()
    if created:
        session.execute(
            insert(ImportBatchRecord),
            [
                {"batch_id": batch_id, "record_id": record_id, "version": version}
                for record_id, version in created
            ],
        )
    if replaced:
        session.execute(
            insert(ImportBatchUpdate),
            [
                {"batch_id": batch_id, "record_id": record_id, "version": saved.version,
                 "version_before": saved.version_before, "previous": saved.previous}
                for record_id, saved in replaced.items()
            ],
        )
    return batch_id


def list_batches(database: Database) -> list[BatchView]:
    """Every import, newest first."""
    with database.read() as session:
        kept = _with_values(session)
        rows = session.scalars(select(ImportBatch).order_by(ImportBatch.imported_at.desc()))
        return [_view(row, row.id in kept) for row in rows]


def get_batch(database: Database, batch_id: str) -> BatchView:
    with database.read() as session:
        row = session.get(ImportBatch, batch_id)
        if row is None:
            raise ServiceError(_("No import with id {id}.").format(id=batch_id))
        kept = session.scalar(
            select(ImportBatchUpdate.record_id).where(ImportBatchUpdate.batch_id == batch_id).limit(1)
        )
        return _view(row, kept is not None)


def _refusal(records: RecordService, session: Session, edited: Sequence[str]) -> str:
    """Why an undo is refused, naming the first records changed since."""
    rows = records.model
    shown = session.scalars(select(rows).where(rows.id.in_(list(edited[:SHOWN_NAMES])))).all()
    names = ", ".join(records.view(row).summary for row in shown)
    more = len(edited) - SHOWN_NAMES
    if more > 0:
        names = ngettext("{names} and {count} other", "{names} and {count} others", more).format(
            names=names, count=more
        )
    return ngettext(
        "Not undone: {count} record of this import was changed since ({names}). "
        "An import is undone whole or not at all; change its other records by hand if need be.",
        "Not undone: {count} records of this import were changed since ({names}). "
        "An import is undone whole or not at all; change its other records by hand if need be.",
        len(edited),
    ).format(count=len(edited), names=names)


@dataclass(frozen=True)
class UndoResult:
    batch: BatchView
    deleted: int  # records the import created, now deleted
    already_gone: int  # records it created that were deleted before the undo
    restored: int  # records it updated, their previous values back
    kept_updates: int  # records it updated that keep their new values (a batch older than 0009)


def _versions(session: Session, table: Any, batch_id: str) -> dict[str, datetime]:
    listed = session.execute(select(table.record_id, table.version).where(table.batch_id == batch_id))
    return {record_id: version for record_id, version in listed}


def _current(session: Session, model: Any, ids: Sequence[str]) -> dict[str, tuple[datetime, bool]]:
    """id -> (updated_at, deleted) of the records of ``ids`` still in the table."""
    found: dict[str, tuple[datetime, bool]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        rows = session.execute(select(model.id, model.updated_at, model.deleted).where(model.id.in_(chunk)))
        found.update((record_id, (updated_at, deleted)) for record_id, updated_at, deleted in rows)
    return found


def undo_batch(database: Database, records: RecordService, batch_id: str) -> UndoResult:
    """Delete the records ``batch_id`` created and put back those it updated (all, or nothing when
    one was changed since)."""
    batch = get_batch(database, batch_id)
    if batch.undone_at is not None:
        raise UndoRefused(_("This import was already undone."))
    if records.kind != batch.kind:
        raise ValueError(f"batch {batch_id} is of {batch.kind}, not {records.kind}")
    model = RECORD_MODELS[batch.kind]
    # One transaction: no edit (a sync's pull) can land between the check and the writes.
    with database.write() as session:
        created = _versions(session, ImportBatchRecord, batch_id)
        updated = _versions(session, ImportBatchUpdate, batch_id)
        now_created = _current(session, model, list(created))
        now_updated = _current(session, model, list(updated))
        # A created record deleted since is simply gone; an updated one deleted since has changed.
        live = [i for i in created if i in now_created and not now_created[i][1]]
        edited = [i for i in live if now_created[i][0] != created[i]]
        edited += [i for i in updated if i not in now_updated or now_updated[i][0] != updated[i]]
        if edited:
            raise UndoRefused(_refusal(records, session, edited))
        restored = _put_back(session, records, batch_id, list(updated))
        if live:
            records.delete_in(session, live)
        row = session.get(ImportBatch, batch_id)
        assert row is not None
        row.undone_at = utc_now()
        batch = _view(row, bool(updated))
    kept = batch.updated if not updated else 0
    return UndoResult(batch, len(live), len(created) - len(live), restored, kept)


def _put_back(session: Session, records: RecordService, batch_id: str, ids: Sequence[str]) -> int:
    """The values the import replaced, written back as ordinary edits (they sync); returns how many
    records changed."""
    model = records.model
    restored = 0
    # One counter update for all: each one alone re-scans every object the session holds.
    seqs = iter(reserve_seqs(session, len(ids)))
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(chunk)))}
        saved = session.execute(
            select(
                ImportBatchUpdate.record_id, ImportBatchUpdate.previous, ImportBatchUpdate.version_before
            ).where(ImportBatchUpdate.batch_id == batch_id, ImportBatchUpdate.record_id.in_(chunk))
        )
        items: list[tuple[Any, dict[str, Any]]] = []  # (row, its values put back)
        versions_before: list[datetime] = []
        for record_id, previous, version_before in saved:
            row = rows[record_id]
            values = records.view(row).values
            fields = set(values)
            values.update(
                (name, column_value(records.kind, name, raw))
                for name, raw in previous.items()
                if name in fields  # a field the form no longer has stays as it is
            )
            items.append((row, values))
            versions_before.append(version_before)
        with session.no_autoflush:  # the outbox lookups would flush the chunk's edits one by one
            answers = records.apply_many(session, items, [next(seqs) for _item in items])
        restored += sum(bool(changed) for changed in answers)
        moved = [
            (row.id, before, row.updated_at)
            for (row, _values), before in zip(items, versions_before, strict=True)
        ]
        _carry_versions(session, batch_id, moved)
    return restored


def _carry_versions(session: Session, batch_id: str, moved: Sequence[tuple[str, datetime, datetime]]) -> None:
    """A record put back is as it was before this import: an earlier import that left it at that
    version (and whose undo would otherwise see it "changed since") now knows its new one."""
    before = {record_id: (old, new) for record_id, old, new in moved}
    for table in (ImportBatchRecord, ImportBatchUpdate):
        listed = session.execute(
            select(table.batch_id, table.record_id, table.version).where(
                table.record_id.in_(list(before)), table.batch_id != batch_id
            )
        ).all()
        carried = [
            {"other": other, "moved": record_id, "after": before[record_id][1]}
            for other, record_id, version in listed
            if version == before[record_id][0]
        ]
        if carried:  # one statement, many rows: nothing in the session to keep in step
            columns = table.__table__.c
            session.connection().execute(
                update(table.__table__)
                .where(columns.batch_id == bindparam("other"), columns.record_id == bindparam("moved"))
                .values(version=bindparam("after")),
                carried,
            )


def undo_summary(result: UndoResult) -> str:
    """What an undo did, in one translated line (the CLI's and the window's)."""
    text = ngettext(
        "Import undone: {count} record deleted.", "Import undone: {count} records deleted.", result.deleted
    ).format(count=result.deleted)
    if result.restored:
        text += " " + ngettext(
            "{count} record it updated has its previous values again.",
            "{count} records it updated have their previous values again.",
            result.restored,
        ).format(count=result.restored)
    if result.kept_updates:
        text += " " + ngettext(
            "{count} record it updated keeps its new values.",
            "{count} records it updated keep their new values.",
            result.kept_updates,
        ).format(count=result.kept_updates)
    return text
