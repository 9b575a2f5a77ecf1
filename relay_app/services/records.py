"""Create, read, update, delete and search one kind of record.

Every write is validated by the record's form definition and lands together with its outbox entry in
one transaction: a record is never saved without the change that will sync it, nor the reverse.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from relay_app.forms import KINDS, FieldError, Form, form_for
from relay_app.i18n import _
from relay_app.services.errors import NotFound, ValidationFailed
from relay_app.services.outbox import device_identity, record_change, record_updates, reserve_seqs
from relay_app.services.record_files import (
    ROLES_BY_KIND,
    remove_links_of,
    remove_links_of_many,
    restore_links_of,
)
from relay_app.services.waiting_list import NoRules, WriteRules, rules_for
from relay_app.store.database import Database
from relay_app.store.models import RECORD_MODELS, PendingChange, SyncedRecord
from relay_app.store.search import match_expression, restrict_to_matches
from relay_app.store.types import utc_now

# Kinds whose records own file links: deleting one removes its links with it (undone together).
FILE_OWNERS = frozenset(ROLES_BY_KIND)

if TYPE_CHECKING:
    from relay_app.services.importing import ImportReport
    from relay_app.transfer.reading import SourceRow

Filters = Mapping[str, Any]


@dataclass(frozen=True)
class RecordView:
    """A record as plain data: what widgets, the CLI and exports get, never an ORM object."""

    kind: str
    id: str
    values: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    deleted: bool
    base_version: int | None
    dirty_fields: tuple[str, ...]
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **form_for(self.kind).to_json(self.values),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class Referrer:
    """A live record whose reference field names one of the records about to be deleted."""

    kind: str
    field: str
    id: str
    summary: str
    target_id: str  # the record it names


@dataclass(frozen=True)
class DeletedRecords:
    """What a delete changed: the records, as they were just before they went."""

    kind: str
    records: tuple[RecordView, ...]

    @property
    def ids(self) -> list[str]:
        return [record.id for record in self.records]


def references_to(kind: str) -> list[tuple[str, str]]:
    """(kind, field) of every reference field, in any form, that names records of ``kind``."""
    return [
        (other, field.name)
        for other in KINDS
        for field in form_for(other).fields
        if field.reference == kind
    ]


CHUNK = 500  # ids per IN (...) clause, well under SQLite's limit on bound parameters


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True


class RecordService:
    """The operations on one record kind (``partners``, ``practices``, ``forums``, ``registrations``)."""

    def __init__(self, database: Database, kind: str) -> None:
        self.database = database
        self.kind = kind
        self.form: Form = form_for(kind)
        self.model: type[SyncedRecord] = RECORD_MODELS[kind]
        self._fields = self.form.field_names()
        self._device: str | None = None

    @property
    def _rules(self) -> WriteRules:
        """Rules across records (a forum's capacity and waiting list), run inside each write."""
        return rules_for(self.kind)

    # -- reading ---------------------------------------------------------------------------------

    def view(self, row: SyncedRecord) -> RecordView:
        values = {name: getattr(row, name) for name in self._fields}
        return RecordView(
            kind=self.kind,
            id=row.id,
            values=values,
            created_at=row.created_at,
            updated_at=row.updated_at,
            deleted=row.deleted,
            base_version=row.base_version,
            dirty_fields=tuple(row.dirty_fields or ()),
            summary=self.form.summary(values),
        )

    def get(self, record_id: str, *, include_deleted: bool = False) -> RecordView:
        with self.database.read() as session:
            return self.view(self._row(session, record_id, include_deleted=include_deleted))

    def list(
        self,
        search: str | None = None,
        filters: Filters | None = None,
        *,
        order_by: str | None = None,
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[RecordView]:
        statement = self._query(search, filters, ranked=order_by is None)
        if statement is None:
            return []
        if order_by is not None:
            column = getattr(self.model, self._checked_field(order_by))
            statement = statement.order_by(column.desc() if descending else column.asc())
        elif search is None or match_expression(search) is None:
            statement = statement.order_by(self.model.row_id)
        statement = statement.offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        with self.database.read() as session:
            return [self.view(row) for row in session.scalars(statement)]

    def columns(
        self, names: Sequence[str], search: str | None = None, filters: Filters | None = None
    ) -> list[tuple[Any, ...]]:
        """Only the fields ``names`` of the live records the list would show (the map's markers):
        tens of thousands of rows in milliseconds, where building every ``RecordView`` would not."""
        statement = self._query(search, filters, ranked=False)
        if statement is None:
            return []
        wanted = [self.model.id, *(getattr(self.model, self._checked_field(name)) for name in names)]
        with self.database.read() as session:
            return [tuple(row) for row in session.execute(statement.with_only_columns(*wanted))]

    def fingerprint(self, numbers: Sequence[str]) -> tuple[Any, ...]:
        """One aggregate row that changes when a record is added, deleted, edited or has one of
        the number fields ``numbers`` changed: lets a cache built from every record (the
        neighbours' index) be kept until then, for the price of one scan of the table."""
        model = self.model
        columns = [func.count(), func.max(model.updated_at), func.max(model.row_id),
                   *(func.total(getattr(model, self._checked_field(name))) for name in numbers)]
        statement = select(*columns).where(model.deleted.is_(False))
        with self.database.read() as session:
            return tuple(session.execute(statement).one())

    def count(self, search: str | None = None, filters: Filters | None = None) -> int:
        statement = self._query(search, filters, ranked=False)
        if statement is None:
            return 0
        counted = select(func.count()).select_from(statement.subquery())
        with self.database.read() as session:
            return session.scalar(counted) or 0

    def _query(self, search: str | None, filters: Filters | None, *, ranked: bool) -> Any:
        statement = select(self.model).where(self.model.deleted.is_(False))
        for name, wanted in (filters or {}).items():
            column = getattr(self.model, self._checked_field(name))
            if isinstance(wanted, list | tuple | set | frozenset):
                statement = statement.where(column.in_(list(wanted)))
            else:
                statement = statement.where(column == wanted)
        if search is not None and search.strip():
            expression = match_expression(search)
            if expression is None:
                return None  # only punctuation typed: nothing can match
            statement = restrict_to_matches(statement, self.model, expression, ranked=ranked)
        return statement

    def _checked_field(self, name: str) -> str:
        if name not in self._fields and name not in ("id", "created_at", "updated_at"):
            raise ValueError(f"{self.kind} has no field {name!r}")
        return name

    def _row(self, session: Session, record_id: str, *, include_deleted: bool = False) -> SyncedRecord:
        row = session.scalars(select(self.model).where(self.model.id == record_id)).one_or_none()
        if row is None or (row.deleted and not include_deleted):
            raise NotFound(self.kind, record_id)
        return row

    # -- writing ---------------------------------------------------------------------------------

    def create(self, values: Mapping[str, Any]) -> RecordView:
        requested_id = values.get("id")
        cleaned = self.validated(values)
        with self.database.write() as session:
            row = self.insert(session, cleaned, requested_id=str(requested_id) if requested_id else None)
            return self.view(row)

    def update(self, record_id: str, changes: Mapping[str, Any]) -> RecordView:
        with self.database.write() as session:
            row = self._row(session, record_id)
            current = {name: getattr(row, name) for name in self._fields}
            changes = {key: value for key, value in changes.items() if key != "id"}
            cleaned = self.validated({**current, **changes})
            self.apply(session, row, cleaned)
            return self.view(row)

    def delete(self, record_id: str) -> None:
        """Tombstone the record: it disappears from lists and the deletion syncs."""
        self.delete_many([record_id])

    def delete_many(self, record_ids: Sequence[str]) -> DeletedRecords:
        """Tombstone every record of ``record_ids`` in one transaction: all go, or none does.

        ``NotFound`` (and nothing written) when one of them is not here or already deleted.
        """
        with self.database.write() as session:
            return self.delete_in(session, record_ids)

    def delete_in(self, session: Session, record_ids: Sequence[str]) -> DeletedRecords:
        """``delete_many`` inside the caller's write transaction (an import's undo checks and
        deletes in one)."""
        wanted = list(dict.fromkeys(record_ids))
        rows = self._rows(session, wanted, include_deleted=False)
        before = tuple(self.view(rows[record_id]) for record_id in wanted)
        now = utc_now()
        # One counter update for all: each one alone re-scans every object the session holds.
        seqs = iter(reserve_seqs(session, len(wanted)))
        if type(self._rules) is NoRules:
            self._tombstone_in_bulk(session, wanted, now, seqs)
            return DeletedRecords(self.kind, before)
        for record_id in wanted:
            row = rows[record_id]
            values_before = self._values(row)
            row.deleted = True
            row.deleted_at = now
            row.updated_at = now
            record_change(session, self.kind, row.id, "delete", seq=next(seqs))
            if self.kind in FILE_OWNERS:
                remove_links_of(session, self.kind, row.id, now)
            self._rules.after_write(session, row, values_before)
        return DeletedRecords(self.kind, before)

    def _tombstone_in_bulk(
        self, session: Session, record_ids: Sequence[str], now: datetime, seqs: Iterator[int]
    ) -> None:
        """What the loop of ``delete_many`` does, a chunk of records per statement, for kinds whose
        deletes touch no other record (an undone 50,000-row import: seconds, not a minute).

        The outbox entries coalesce as ``record_change`` does: an entry waiting for a record
        becomes its delete with a fresh number; a record without one gets a new delete entry.
        """
        model = self.model
        for start in range(0, len(record_ids), CHUNK):
            chunk = list(record_ids[start : start + CHUNK])
            session.execute(
                update(model)
                .where(model.id.in_(chunk))
                .values(deleted=True, deleted_at=now, updated_at=now)
                .execution_options(synchronize_session="fetch")
            )
            waiting = {
                entry.record_id: entry
                for entry in session.scalars(
                    select(PendingChange).where(
                        PendingChange.kind == self.kind, PendingChange.record_id.in_(chunk)
                    )
                )
            }
            fresh = []
            for record_id in chunk:
                seq = next(seqs)
                entry = waiting.get(record_id)
                if entry is None:
                    fresh.append({
                        "kind": self.kind, "record_id": record_id, "op": "delete", "fields": [],
                        "created_at": now, "updated_at": now, "attempts": 0, "seq": seq,
                    })
                else:
                    entry.op, entry.seq, entry.updated_at, entry.next_attempt_at = "delete", seq, now, None
            if fresh:
                session.execute(insert(PendingChange), fresh)
            if self.kind in FILE_OWNERS:
                remove_links_of_many(session, self.kind, chunk, now)

    def restore(self, record_id: str) -> RecordView:
        """Undo a delete: the record comes back with all its values."""
        return self.restore_many([record_id])[0]

    def restore_many(self, record_ids: Sequence[str]) -> list[RecordView]:
        """Undo ``delete_many``: every record comes back with its values, in one transaction."""
        wanted = list(dict.fromkeys(record_ids))
        with self.database.write() as session:
            rows = self._rows(session, wanted, include_deleted=True)
            for record_id in wanted:
                self._undelete(session, rows[record_id])
            return [self.view(rows[record_id]) for record_id in wanted]

    def _undelete(self, session: Session, row: SyncedRecord) -> None:
        if not row.deleted:
            return
        removed_at = row.deleted_at
        row.deleted = False
        row.deleted_at = None
        row.updated_at = utc_now()
        if self.kind in FILE_OWNERS and removed_at is not None:
            restore_links_of(session, self.kind, row.id, removed_at)
        # The delete may have synced already: restoring re-asserts every value it holds.
        filled = [name for name in self._fields if getattr(row, name) not in (None, [], "")]
        row.dirty_fields = sorted(set(row.dirty_fields or ()) | set(filled))
        record_change(session, self.kind, row.id, "upsert", row.dirty_fields)
        self._rules.on_restore(session, row)

    def _rows(
        self, session: Session, record_ids: Sequence[str], *, include_deleted: bool
    ) -> dict[str, SyncedRecord]:
        """The rows of ``record_ids`` by id; ``NotFound`` names the first one missing."""
        rows: dict[str, SyncedRecord] = {}
        for start in range(0, len(record_ids), CHUNK):
            chunk = list(record_ids[start : start + CHUNK])
            rows.update(
                (row.id, row)
                for row in session.scalars(select(self.model).where(self.model.id.in_(chunk)))
            )
        for record_id in record_ids:
            row = rows.get(record_id)
            if row is None or (row.deleted and not include_deleted):
                raise NotFound(self.kind, record_id)
        return rows

    def referrers(self, record_ids: Iterable[str]) -> list[Referrer]:
        """The live records, of any kind, whose reference fields name one of ``record_ids``.

        Deleting a partner leaves the practices that name it pointing at nothing; the window
        asks first with this list.
        """
        wanted = list(dict.fromkeys(record_ids))
        found: list[Referrer] = []
        with self.database.read() as session:
            for kind, field in references_to(self.kind):
                model, form = RECORD_MODELS[kind], form_for(kind)
                column = getattr(model, field)
                names = form.field_names()
                for start in range(0, len(wanted), CHUNK):
                    chunk = wanted[start : start + CHUNK]
                    statement = (
                        select(model)
                        .where(column.in_(chunk), model.deleted.is_(False))
                        .order_by(model.row_id)
                    )
                    for row in session.scalars(statement):
                        values = {name: getattr(row, name) for name in names}
                        found.append(
                            Referrer(kind, field, row.id, form.summary(values), getattr(row, field))
                        )
        return found

    def import_rows(
        self,
        rows: Sequence[SourceRow],
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportReport:
        from relay_app.services.importing import import_rows

        return import_rows(self, rows, dry_run=dry_run, progress=progress)

    # -- building blocks shared with imports ---------------------------------------------------------

    def validated(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The cleaned values, or ``ValidationFailed`` with every problem found."""
        result = self.form.validate(values)
        errors = list(result.errors)
        if result.ok:
            errors.extend(self.reference_errors([result.cleaned]))
        if errors:
            raise ValidationFailed(errors)
        return result.cleaned

    def reference_errors(self, records: Sequence[Mapping[str, Any]]) -> list[FieldError]:
        """Errors for references to records that do not exist here (one per record and field)."""
        return [error for per_record in self.reference_errors_by_record(records) for error in per_record]

    def reference_errors_by_record(self, records: Sequence[Mapping[str, Any]]) -> list[list[FieldError]]:
        found: list[list[FieldError]] = [[] for _ in records]
        for field in self.form.fields:
            if field.reference is None:
                continue
            wanted = {record[field.name] for record in records if record.get(field.name)}
            existing = self._existing_ids(field.reference, wanted)
            for index, record in enumerate(records):
                value = record.get(field.name)
                if value and value not in existing:
                    found[index].append(
                        FieldError(
                            field=field.name,
                            code="invalid_reference",
                            message=_("{field}: no such record ({id}).").format(
                                field=_(field.label), id=value
                            ),
                            params={"id": value},
                        )
                    )
        return found

    def _existing_ids(self, kind: str, wanted: Iterable[str]) -> set[str]:
        model = RECORD_MODELS[kind]
        wanted = list(wanted)
        existing: set[str] = set()
        with self.database.read() as session:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                existing.update(
                    session.scalars(
                        select(model.id).where(model.id.in_(chunk), model.deleted.is_(False))
                    )
                )
        return existing

    def insert(
        self,
        session: Session,
        cleaned: Mapping[str, Any],
        requested_id: str | None = None,
        *,
        seq: int | None = None,
    ) -> SyncedRecord:
        if requested_id is not None and not is_uuid(requested_id):
            raise ValidationFailed(
                [FieldError(field="id", code="invalid_reference",
                            message=_("The id must be one written by Relay, or left empty."), params={})]
            )
        if requested_id is not None and session.scalar(
            select(self.model.row_id).where(self.model.id == requested_id)
        ):
            raise ValidationFailed(
                [FieldError(field="id", code="duplicate_id",
                            message=_("A record with this id already exists."), params={})]
            )
        cleaned = self._rules.on_insert(session, cleaned)
        now = utc_now()
        changed = [name for name in self._fields if cleaned.get(name) not in (None, [], "")]
        row = self.model(
            id=requested_id or str(uuid.uuid4()),
            created_at=now,
            updated_at=now,
            deleted=False,
            origin_device=self._device_id(session),
            base_version=None,
            dirty_fields=changed,
            **cleaned,
        )
        session.add(row)
        record_change(session, self.kind, row.id, "upsert", changed, new_record=True, seq=seq)
        return row

    def insert_many(
        self,
        session: Session,
        items: Sequence[tuple[Mapping[str, Any], str | None]],
        seqs: Iterable[int],
    ) -> list[tuple[str, datetime]]:
        """Create many records (cleaned values, requested id or None) with their outbox entries.

        What ``insert`` does row by row, as two bulk INSERTs: a 50,000-row import spends its time
        making ORM objects otherwise. Kinds whose rules act on an insert (a registration may join
        the waiting list) go row by row. Returns (id, updated_at) of each record, in order.
        """
        if type(self._rules).on_insert is not NoRules.on_insert:
            made = [
                self.insert(session, cleaned, requested_id=requested, seq=seq)
                for (cleaned, requested), seq in zip(items, seqs, strict=False)
            ]
            return [(row.id, row.updated_at) for row in made]
        requested_ids = [requested for _cleaned, requested in items if requested is not None]
        if any(not is_uuid(requested) for requested in requested_ids):
            raise ValidationFailed(
                [FieldError(field="id", code="invalid_reference",
                            message=_("The id must be one written by Relay, or left empty."), params={})]
            )
        if self._existing_ids_in(session, requested_ids) or len(set(requested_ids)) < len(requested_ids):
            raise ValidationFailed(
                [FieldError(field="id", code="duplicate_id",
                            message=_("A record with this id already exists."), params={})]
            )
        now = utc_now()
        device = self._device_id(session)
        records: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for (cleaned, requested), seq in zip(items, seqs, strict=False):
            record_id = requested or str(uuid.uuid4())
            changed = [name for name in self._fields if cleaned.get(name) not in (None, [], "")]
            records.append({
                **{name: cleaned.get(name) for name in self._fields},
                "id": record_id, "created_at": now, "updated_at": now, "deleted": False,
                "origin_device": device, "base_version": None, "dirty_fields": changed,
            })
            changes.append({
                "kind": self.kind, "record_id": record_id, "seq": seq, "op": "upsert",
                "fields": sorted(set(changed)), "created_at": now, "updated_at": now, "attempts": 0,
            })
        if records:
            session.execute(insert(self.model), records)
            session.execute(insert(PendingChange), changes)
        return [(record["id"], now) for record in records]

    def _existing_ids_in(self, session: Session, wanted: Sequence[str]) -> bool:
        for start in range(0, len(wanted), CHUNK):
            chunk = list(wanted[start : start + CHUNK])
            if session.scalar(select(self.model.row_id).where(self.model.id.in_(chunk)).limit(1)):
                return True
        return False

    def _device_id(self, session: Session) -> str:
        if self._device is None:  # made once per installation, never changes
            self._device = device_identity(session).device_id
        return self._device

    def apply(
        self, session: Session, row: SyncedRecord, cleaned: Mapping[str, Any], *, seq: int | None = None
    ) -> list[str]:
        """Write the fields that really changed; no change, no outbox entry. Returns their names."""
        changed = [name for name in self._fields if getattr(row, name) != cleaned.get(name)]
        if not changed:
            return []
        cleaned = self._rules.on_update(session, row, cleaned)
        before = self._values(row)
        for name in changed:
            setattr(row, name, cleaned.get(name))
        row.updated_at = utc_now()
        row.dirty_fields = sorted(set(row.dirty_fields or ()) | set(changed))
        record_change(session, self.kind, row.id, "upsert", changed, seq=seq)
        self._rules.after_write(session, row, before)
        return changed

    def apply_many(
        self, session: Session, items: Sequence[tuple[SyncedRecord, Mapping[str, Any]]], seqs: Iterable[int]
    ) -> list[list[str]]:
        """``apply`` for many (row, cleaned values), each with its change number: the names of the
        fields that changed, per item. Kinds whose rules act on an update (a registration's place
        on the waiting list) go one by one; the others have their outbox entries written in bulk
        (an import's updates, or an undo putting 50,000 records back)."""
        numbers = iter(seqs)
        if type(self._rules) is not NoRules:
            return [self.apply(session, row, cleaned, seq=next(numbers)) for row, cleaned in items]
        now = utc_now()
        answers: list[list[str]] = []
        changes: list[tuple[str, list[str], int]] = []
        written: list[dict[str, Any]] = []
        for row, cleaned in items:
            seq = next(numbers)
            changed = [name for name in self._fields if getattr(row, name) != cleaned.get(name)]
            answers.append(changed)
            if not changed:
                continue
            # The row object takes the new values as if loaded (nothing for the ORM to flush):
            # one executemany below writes them all, instead of an UPDATE per record.
            for name in changed:
                set_committed_value(row, name, cleaned.get(name))
            set_committed_value(row, "updated_at", now)
            set_committed_value(row, "dirty_fields", sorted(set(row.dirty_fields or ()) | set(changed)))
            written.append({
                "_id": row.id, "_updated_at": now, "_dirty_fields": row.dirty_fields,
                **{f"_{name}": getattr(row, name) for name in self._fields},
            })
            changes.append((row.id, changed, seq))
        if written:
            table = self.model.__table__
            columns = (*self._fields, "updated_at", "dirty_fields")
            session.connection().execute(
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({name: bindparam(f"_{name}") for name in columns}),
                written,
            )
        record_updates(session, self.kind, changes)
        return answers

    def _values(self, row: SyncedRecord) -> dict[str, Any]:
        return {name: getattr(row, name) for name in self._fields}
