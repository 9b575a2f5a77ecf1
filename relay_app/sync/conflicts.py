"""Conflicts kept for a person: the same field changed here and on the server to different values.

Until someone decides, the record shows the server's value (the protocol's rule) and both values
wait here. A decision is an ordinary local edit, made in the same transaction that closes the
conflict, so it syncs like any other change, based on the version the conflict was found at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from relay_app.forms import form_for
from relay_app.i18n import _
from relay_app.services.errors import ServiceError
from relay_app.services.outbox import record_change
from relay_app.services.records import RecordService
from relay_app.store.database import Database
from relay_app.store.models import RECORD_MODELS, SYNCED_MODELS, SyncConflict, SyncedRecord
from relay_app.store.types import utc_now
from relay_app.sync.apply import fetch_again
from relay_app.sync.values import column_value, wire_values
from relay_app.sync.wire import DELETED_FIELD

Keep = Literal["mine", "theirs"]
# "No value given" for ``resolve``: None is a value a person may choose (it empties the field).
UNSET: Final = object()


class ConflictNotFound(ServiceError):
    def __init__(self, conflict_id: int) -> None:
        super().__init__(_("No conflict with number {id}.").format(id=conflict_id))


class ConflictChoiceInvalid(ServiceError):
    pass


@dataclass(frozen=True)
class ConflictView:
    """A conflict as plain data. Values are JSON, as the server sent them."""

    id: int
    kind: str
    record_id: str
    field: str
    base_value: Any
    mine: Any
    theirs: Any
    server_version: int
    created_at: datetime
    summary: str

    @property
    def about_deletion(self) -> bool:
        return self.field == DELETED_FIELD

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "record_id": self.record_id,
            "field": self.field,
            "base_value": self.base_value,
            "mine": self.mine,
            "theirs": self.theirs,
            "server_version": self.server_version,
            "created_at": self.created_at.isoformat(),
            "summary": self.summary,
        }


class ConflictService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def list(self) -> list[ConflictView]:
        with self.database.read() as session:
            rows = session.scalars(select(SyncConflict).order_by(SyncConflict.id)).all()
            return [self._view(session, row) for row in rows]

    def count(self) -> int:
        with self.database.read() as session:
            return session.scalar(select(func.count()).select_from(SyncConflict)) or 0

    def get(self, conflict_id: int) -> ConflictView:
        with self.database.read() as session:
            return self._view(session, self._conflict(session, conflict_id))

    def resolve(self, conflict_id: int, *, keep: Keep | None = None, value: Any = UNSET) -> None:
        """Close a conflict keeping ``mine``, ``theirs``, or a new ``value`` (JSON, as on the wire)."""
        use_value = value is not UNSET
        if (keep is None) != use_value:
            raise ConflictChoiceInvalid(_("Choose mine, theirs or a value."))
        with self.database.write() as session:
            conflict = self._conflict(session, conflict_id)
            service = _service(self.database, conflict.kind)
            row = _record(session, conflict.kind, conflict.record_id)
            if row is not None:
                if conflict.field == DELETED_FIELD:
                    if use_value:
                        raise ConflictChoiceInvalid(
                            _("A deleted record can only be kept (mine) or left as the server has it "
                              "(theirs).")
                        )
                    _decide_deletion(session, service, row, conflict, keep == "mine")
                else:
                    chosen = value if use_value else (conflict.mine if keep == "mine" else conflict.theirs)
                    _decide_field(session, service, row, conflict, keep, chosen)
            session.delete(conflict)

    # -- helpers ---------------------------------------------------------------------------------

    def _conflict(self, session: Session, conflict_id: int) -> SyncConflict:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise ConflictNotFound(conflict_id)
        return conflict

    def _view(self, session: Session, row: SyncConflict) -> ConflictView:
        record = _record(session, row.kind, row.record_id)
        summary = ""
        if record is not None:
            service = _service(self.database, row.kind)
            summary = service.view(record).summary
        return ConflictView(
            id=row.id, kind=row.kind, record_id=row.record_id, field=row.field,
            base_value=row.base_value, mine=row.mine, theirs=row.theirs,
            server_version=row.server_version, created_at=row.created_at, summary=summary,
        )


class _FileLinkService(RecordService):
    """The record operations a decision needs, for file links (not a kind people list)."""

    def __init__(self, database: Database, kind: str) -> None:
        self.database = database
        self.kind = kind
        self.form = form_for(kind)
        self.model = SYNCED_MODELS[kind]
        self._fields = self.form.field_names()
        self._device = None


def _service(database: Database, kind: str) -> RecordService:
    if kind in RECORD_MODELS:
        return RecordService(database, kind)
    return _FileLinkService(database, kind)


def _record(session: Session, kind: str, record_id: str) -> SyncedRecord | None:
    model = SYNCED_MODELS[kind]
    return session.scalars(select(model).where(model.id == record_id)).one_or_none()  # type: ignore[attr-defined]


def _decide_field(
    session: Session, service: RecordService, row: SyncedRecord, conflict: SyncConflict,
    keep: Keep | None, chosen: Any,
) -> None:
    if row.deleted:
        return  # deleted here since the clash: the deletion stands, and will reach the server
    if keep == "theirs" and conflict.field not in (row.dirty_fields or ()):
        return  # the record already shows the server's value (or a newer one pulled since)
    current = {name: getattr(row, name) for name in service.form.field_names()}
    current[conflict.field] = column_value(conflict.kind, conflict.field, chosen)
    cleaned = service.validated(current)
    service.apply(session, row, cleaned)


def _decide_deletion(
    session: Session, service: RecordService, row: SyncedRecord, conflict: SyncConflict, mine: bool
) -> None:
    server_deleted = bool(conflict.theirs)
    if not mine:
        if server_deleted:
            row.dirty_fields = []  # my edit is dropped
        # The server's copy may have moved on since (restored or edited elsewhere) while my edit
        # kept pulls from touching this row, and the cursor is past those versions: the next
        # sync fetches the record's latest version by key.
        fetch_again(session, conflict.kind, row.id)
        return
    now = utc_now()
    row.updated_at = now
    if server_deleted:  # bring my edited record back: send every field, based on the tombstone
        row.deleted = False
        row.deleted_at = None
        values = wire_values(conflict.kind, row)
        fields = [name for name, value in values.items() if value not in (None, "", [])]
        row.dirty_fields = sorted(set(row.dirty_fields or ()) | set(fields))
        record_change(session, conflict.kind, row.id, "upsert", fields)
    else:  # delete it again, now knowing the server's newer version
        row.deleted = True
        row.deleted_at = now
        record_change(session, conflict.kind, row.id, "delete")
