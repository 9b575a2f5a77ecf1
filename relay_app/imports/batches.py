"""Every import is a batch: listed, and undone as a whole while its records are unchanged.

The batch keeps the records the import created, each with its ``updated_at`` at the end of the
import. Undo deletes them through the records service (tombstones that sync, like any delete), in
the same transaction as the check that none was edited since; it is refused, naming them, when any
was (its ``updated_at`` moved: an edit here, or one pulled from the server). Records the import
updated are not put back as they were: undo says how many there were.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from relay_app.i18n import _, ngettext
from relay_app.services.errors import ServiceError
from relay_app.services.records import CHUNK, RecordService
from relay_app.store.database import Database
from relay_app.store.models import RECORD_MODELS, ImportBatch, ImportBatchRecord
from relay_app.store.types import utc_now

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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "file_name": self.file_name,
            "imported_at": self.imported_at.isoformat(),
            "created": self.created,
            "updated": self.updated,
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
        }


def _view(row: ImportBatch) -> BatchView:
    return BatchView(
        row.id, row.kind, row.file_name, row.imported_at, row.created, row.updated, row.undone_at
    )


def record_batch(
    session: Session, kind: str, file_name: str, created: Sequence[tuple[str, datetime]], updated: int
) -> str:
    """Write the batch of an import inside its transaction; returns the batch id."""
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
    return batch_id


def list_batches(database: Database) -> list[BatchView]:
    """Every import, newest first."""
    with database.read() as session:
        rows = session.scalars(select(ImportBatch).order_by(ImportBatch.imported_at.desc()))
        return [_view(row) for row in rows]


def get_batch(database: Database, batch_id: str) -> BatchView:
    with database.read() as session:
        row = session.get(ImportBatch, batch_id)
        if row is None:
            raise ServiceError(_("No import with id {id}.").format(id=batch_id))
        return _view(row)


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
        "Delete the others yourself, or keep them.",
        "Not undone: {count} records of this import were changed since ({names}). "
        "Delete the others yourself, or keep them.",
        len(edited),
    ).format(count=len(edited), names=names)


@dataclass(frozen=True)
class UndoResult:
    batch: BatchView
    deleted: int
    already_gone: int
    kept_updates: int


def undo_batch(database: Database, records: RecordService, batch_id: str) -> UndoResult:
    """Delete the records of ``batch_id`` (all, or none when one was edited since)."""
    batch = get_batch(database, batch_id)
    if batch.undone_at is not None:
        raise UndoRefused(_("This import was already undone."))
    if records.kind != batch.kind:
        raise ValueError(f"batch {batch_id} is of {batch.kind}, not {records.kind}")
    model = RECORD_MODELS[batch.kind]
    # One transaction: no edit (a sync's pull) can land between the check and the deletes.
    with database.write() as session:
        listed = session.execute(
            select(ImportBatchRecord.record_id, ImportBatchRecord.version).where(
                ImportBatchRecord.batch_id == batch_id
            )
        )
        versions = {record_id: version for record_id, version in listed}
        ids = list(versions)
        live: dict[str, Any] = {}  # id -> updated_at, of the records still here
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found = session.execute(
                select(model.id, model.updated_at).where(model.id.in_(chunk), model.deleted.is_(False))
            )
            live.update((record_id, updated_at) for record_id, updated_at in found)
        edited = [i for i in ids if i in live and live[i] != versions[i]]
        if edited:
            raise UndoRefused(_refusal(records, session, edited))
        wanted = [i for i in ids if i in live]
        if wanted:
            records.delete_in(session, wanted)
        row = session.get(ImportBatch, batch_id)
        assert row is not None
        row.undone_at = utc_now()
        batch = _view(row)
    return UndoResult(batch, len(wanted), len(ids) - len(wanted), batch.updated)
