"""What one push batch reads and writes, in a handful of statements whatever its size.

The batch's remembered answers, the records it touches (with the forums its registrations name
and the partners and practices its files' links name) and the base versions its merges need are
loaded up front, one query per kind of row (IN lists in chunks). Decisions then run against this
working set, which also holds everything the batch itself wrote, so that a change sees the changes
before it in the same batch exactly as if each had been flushed. `write()` finally reserves the
batch's change numbers in one `UPDATE ... RETURNING` and stores records, versions and answers with
one executemany each. Rows the preload did not foresee (a base version made earlier in the same
batch, a forum named only after validation) are fetched one by one when asked for, so the working
set is a cache, never a guess.

Callers hold `Database.writing()`: the writer lock makes the preloaded rows the current ones until
the batch commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import bindparam

from relay_app.sync.wire import Change
from relay_central import scope
from relay_central.models import (
    AppliedChange,
    Record,
    RecordVersion,
    ServerState,
    compact_json,
    utc_now,
)
from relay_central.text import without_nul

# Bound parameters per IN list: far below SQLite's and PostgreSQL's limits on parameters.
CHUNK = 400

_RECORDS: Table = Record.__table__  # type: ignore[assignment]
_VERSIONS: Table = RecordVersion.__table__  # type: ignore[assignment]
_ANSWERS: Table = AppliedChange.__table__  # type: ignore[assignment]
_STATE: Table = ServerState.__table__  # type: ignore[assignment]
_RECORD_COLUMNS = (
    _RECORDS.c.kind,
    _RECORDS.c.id,
    _RECORDS.c.version,
    _RECORDS.c.deleted,
    _RECORDS.c["values"],
    _RECORDS.c.region,
    _RECORDS.c.forum_id,
    _RECORDS.c.change_seq,
    _RECORDS.c.updated_at,
    _RECORDS.c.updated_by,
    _RECORDS.c.writer_informed,
)

RecordKey = tuple[str, str]
VersionKey = tuple[str, str, int]
_T = TypeVar("_T")


@dataclass
class StoredRecord:
    """A record as the server holds it at this point of the batch."""

    kind: str
    id: str
    version: int
    deleted: bool
    values: dict[str, Any]
    region: str | None
    forum_id: str | None
    # Position in the change feed as committed before this batch.
    change_seq: int
    updated_at: datetime | None = None
    updated_by: int | None = None
    # The push answer gave `updated_by` everything needed to hold exactly this version.
    writer_informed: bool = False
    # Once this batch moved the record in the feed: its rank among the batch's change numbers.
    batch_seq: int | None = None

    def feed_order(self) -> tuple[int, int]:
        """Sorts as `change_seq` will once the batch's numbers are drawn (all above the old)."""
        return (1, self.batch_seq) if self.batch_seq is not None else (0, self.change_seq)


class BatchStore:
    def __init__(
        self, session: Session, device_pk: int, batch_id: str, changes: Sequence[Change]
    ) -> None:
        self.session = session
        self.device_pk = device_pk
        self.batch_id = batch_id
        self._answers: dict[int, dict[str, Any]] = {}
        self._records: dict[RecordKey, StoredRecord | None] = {}
        self._versions: dict[VersionKey, dict[str, Any] | None] = {}
        self._created: set[RecordKey] = set()  # not on the server before this batch
        self._stored: set[RecordKey] = set()  # written in full by this batch
        self._moved: set[RecordKey] = set()  # only moved in the feed by this batch
        self._new_versions: list[dict[str, Any]] = []
        self._new_answers: list[dict[str, Any]] = []
        self._issued = 0  # change numbers used by this batch so far
        self._preload(changes)

    # --- reading ------------------------------------------------------------------------------

    def remembered(self, seq: int) -> dict[str, Any] | None:
        return self._answers.get(seq)

    def record(self, kind: str, record_id: str) -> StoredRecord | None:
        key = (kind, record_id)
        if key not in self._records:
            self._load_records([key])
        return self._records[key]

    def forum_region(self, forum_id: str | None) -> str | None:
        """The region of a forum as held now; a deleted forum keeps its region (see scope)."""
        if forum_id is None:
            return None
        forum = self.record(scope.FORUMS, forum_id)
        return forum.region if forum is not None else None

    def registration(self, values: Mapping[str, Any]) -> StoredRecord | None:
        """The registration a check-in names, as held now (tombstones included)."""
        registration = scope.registration_of(values)
        return self.record(scope.REGISTRATIONS, registration) if registration is not None else None

    def owner(self, values: Mapping[str, Any]) -> StoredRecord | None:
        """The partner or practice an attachment belongs to, as held now (tombstones included)."""
        owner = scope.owner_of(values)
        return self.record(*owner) if owner is not None else None

    def version_values(self, kind: str, record_id: str, version: int) -> dict[str, Any] | None:
        """A kept version's values; None when the server does not have it (or pruned it)."""
        key = (kind, record_id, version)
        if key not in self._versions:
            self._load_versions([key])
        return self._versions[key]

    # --- writing (in memory until `write`) ----------------------------------------------------

    def remember(self, seq: int, answer: dict[str, Any]) -> None:
        self._answers[seq] = answer
        self._new_answers.append({
            "device": self.device_pk,
            "seq": seq,
            "batch_id": self.batch_id,
            "answer": answer,
            "created_at": utc_now(),
        })

    def store(
        self,
        kind: str,
        record_id: str,
        values: dict[str, Any],
        *,
        deleted: bool,
        region: str | None,
        forum_id: str | None,
        writer_informed: bool = False,
    ) -> StoredRecord:
        """The record's next version, at the end of the change feed."""
        key = (kind, record_id)
        record = self.record(kind, record_id)
        if record is None:
            record = StoredRecord(
                kind=kind, id=record_id, version=0, deleted=False, values={}, region=None,
                forum_id=None, change_seq=0,
            )
            self._records[key] = record
            self._created.add(key)
        now = utc_now()
        record.batch_seq = self._next_batch_seq()
        record.version += 1
        record.deleted = deleted
        record.values = values
        record.region = region
        record.forum_id = forum_id
        record.updated_at = now
        record.updated_by = self.device_pk
        record.writer_informed = writer_informed
        self._stored.add(key)
        self._versions[(kind, record_id, record.version)] = values
        self._new_versions.append({
            "kind": kind,
            "id": record_id,
            "version": record.version,
            "deleted": deleted,
            "values": values,
            "created_at": now,
            "device": self.device_pk,
        })
        return record

    def resend_registrations(self, forum_id: str) -> None:
        """Move every registration (and check-in) of the forum to the end of the feed, keeping
        their order."""
        rows = self.session.execute(
            select(*_RECORD_COLUMNS).where(
                _RECORDS.c.kind.in_(scope.FORUM_SCOPED), _RECORDS.c.forum_id == forum_id
            )
        )
        for row in rows:
            self._records.setdefault((row.kind, row.id), _stored_record(row))
        self._resend(
            record
            for (kind, _id), record in self._records.items()
            if kind in scope.FORUM_SCOPED and record is not None and record.forum_id == forum_id
        )

    def move_checkins(
        self, registration_id: str, old_forum: str | None, new_forum: str | None
    ) -> list[str]:
        """The check-ins of a registration now in another forum: they follow it, and go out
        again at the end of the feed. They are found among the old forum's check-ins (a rare
        move: no index on the registration inside the stored values is needed for it)."""
        if old_forum is not None:
            rows = self.session.execute(
                select(*_RECORD_COLUMNS).where(
                    _RECORDS.c.kind == scope.CHECKINS, _RECORDS.c.forum_id == old_forum
                )
            )
            for row in rows:
                self._records.setdefault((row.kind, row.id), _stored_record(row))
        scans = [
            record
            for (kind, _id), record in self._records.items()
            if kind == scope.CHECKINS and record is not None
            and scope.registration_of(record.values) == registration_id
        ]
        for scan in scans:
            scan.forum_id = new_forum
        self._resend(scans)
        return [scan.id for scan in scans]

    def _resend(self, records: Iterable[StoredRecord]) -> None:
        for record in sorted(records, key=StoredRecord.feed_order):
            record.batch_seq = self._next_batch_seq()
            self._moved.add((record.kind, record.id))

    def write(self) -> None:
        """Everything the batch decided, in one statement per table."""
        first_seq = self._reserve_change_seqs()
        created = [self._records[key] for key in self._created]
        updated = [self._records[key] for key in self._stored - self._created]
        moved = [self._records[key] for key in self._moved - self._stored]
        if created:
            self.session.execute(
                insert(_RECORDS), [_record_row(r, first_seq) for r in created if r is not None]
            )
        if updated:
            self.session.execute(
                update(_RECORDS).where(
                    _RECORDS.c.kind == bindparam("key_kind"), _RECORDS.c.id == bindparam("key_id")
                ),
                [_keyed(_record_row(r, first_seq)) for r in updated if r is not None],
            )
        if moved:
            self.session.execute(
                update(_RECORDS).where(
                    _RECORDS.c.kind == bindparam("key_kind"), _RECORDS.c.id == bindparam("key_id")
                ),
                [
                    {"key_kind": r.kind, "key_id": r.id, "change_seq": _feed_seq(r, first_seq),
                     "forum_id": r.forum_id}
                    for r in moved
                    if r is not None
                ],
            )
        if self._new_versions:
            self.session.execute(insert(_VERSIONS), self._new_versions)
        if self._new_answers:
            self.session.execute(insert(_ANSWERS), self._new_answers)

    def stored_volume(self) -> tuple[int, int]:
        """The answers this batch adds (replays add none) and the bytes they and its new
        versions take as stored: what counts towards the device's daily bound."""
        answers = sum(len(compact_json(row["answer"])) for row in self._new_answers)
        versions = sum(len(compact_json(row["values"])) for row in self._new_versions)
        return len(self._new_answers), answers + versions

    # --- internals ----------------------------------------------------------------------------

    def _next_batch_seq(self) -> int:
        self._issued += 1
        return self._issued

    def _reserve_change_seqs(self) -> int:
        """Draw the batch's change numbers at once; the first one minus one."""
        if not self._issued:
            return 0
        last = self.session.execute(
            update(_STATE)
            .where(_STATE.c.id == 1)
            .values(last_change_seq=_STATE.c.last_change_seq + self._issued)
            .returning(_STATE.c.last_change_seq)
        ).scalar_one_or_none()
        if last is None:
            raise RuntimeError(
                "the central database is not initialised: run `relay-central db upgrade`"
            )
        return int(last) - self._issued

    def _preload(self, changes: Sequence[Change]) -> None:
        device = self.device_pk
        for seqs in _chunks(sorted({change.seq for change in changes})):
            rows = self.session.execute(
                select(_ANSWERS.c.seq, _ANSWERS.c.answer).where(
                    _ANSWERS.c.device == device, _ANSWERS.c.seq.in_(seqs)
                )
            )
            self._answers.update({row.seq: row.answer for row in rows})
        wanted: dict[RecordKey, None] = {}
        for change in changes:
            wanted[(change.kind, change.id)] = None
            if change.kind == scope.REGISTRATIONS:
                forum = scope.forum_of(without_nul(change.fields))
                if forum is not None:
                    wanted[(scope.FORUMS, forum)] = None
            elif change.kind == scope.ATTACHMENTS:
                owner = scope.owner_of(without_nul(change.fields))
                if owner is not None:
                    wanted[owner] = None
            elif change.kind == scope.CHECKINS:
                registration = scope.registration_of(without_nul(change.fields))
                if registration is not None:
                    wanted[(scope.REGISTRATIONS, registration)] = None
        self._load_records(wanted)
        # The stored forum of each registration, often not named by the batch (a change of the
        # name alone): its region decides whether the relay may change the registration.
        former_forums = {
            (scope.FORUMS, forum): None
            for record in self._records.values()
            if record is not None and record.kind == scope.REGISTRATIONS
            and (forum := scope.forum_of(record.values)) is not None
        }
        # Likewise the stored owner of each attachment: its region decides for the file's link.
        former_owners = {
            owner: None
            for record in self._records.values()
            if record is not None and record.kind == scope.ATTACHMENTS
            and (owner := scope.owner_of(record.values)) is not None
        }
        self._load_records(
            key for key in {**former_forums, **former_owners} if key not in self._records
        )
        bases: dict[VersionKey, None] = {}
        for change in changes:
            record = self._records.get((change.kind, change.id))
            base = change.base_version
            if change.op != "upsert" or record is None or record.deleted or base is None:
                continue
            if base < record.version:
                bases[(change.kind, change.id, base)] = None
        self._load_versions(bases)

    def _load_records(self, keys: Iterable[RecordKey]) -> None:
        keys = list(keys)
        for chunk in _chunks(keys):
            # Separate IN lists on the key's columns: both engines search the primary key with
            # them (SQLite scans the table for a row-value IN). Extra matches are dropped below.
            rows = self.session.execute(
                select(*_RECORD_COLUMNS).where(
                    _RECORDS.c.kind.in_(sorted({kind for kind, _id in chunk})),
                    _RECORDS.c.id.in_(sorted({record_id for _kind, record_id in chunk})),
                )
            )
            wanted = set(chunk)
            for row in rows:
                if (row.kind, row.id) in wanted:
                    self._records[(row.kind, row.id)] = _stored_record(row)
        for key in keys:
            self._records.setdefault(key, None)

    def _load_versions(self, keys: Iterable[VersionKey]) -> None:
        keys = list(keys)
        for chunk in _chunks(keys):
            rows = self.session.execute(
                select(
                    _VERSIONS.c.kind, _VERSIONS.c.id, _VERSIONS.c.version, _VERSIONS.c["values"]
                ).where(
                    _VERSIONS.c.kind.in_(sorted({kind for kind, _id, _version in chunk})),
                    _VERSIONS.c.id.in_(sorted({record_id for _kind, record_id, _version in chunk})),
                    _VERSIONS.c.version.in_(sorted({version for _kind, _id, version in chunk})),
                )
            )
            wanted = set(chunk)
            for row in rows:
                key = (row.kind, row.id, row.version)
                if key in wanted:
                    self._versions[key] = row[3]
        for key in keys:
            self._versions.setdefault(key, None)


def _stored_record(row: Any) -> StoredRecord:
    mapping: Mapping[str, Any] = row._mapping
    return StoredRecord(**mapping)


def _feed_seq(record: StoredRecord, first_seq: int) -> int:
    return first_seq + record.batch_seq if record.batch_seq is not None else record.change_seq


def _record_row(record: StoredRecord, first_seq: int) -> dict[str, Any]:
    return {
        "kind": record.kind,
        "id": record.id,
        "version": record.version,
        "deleted": record.deleted,
        "values": record.values,
        "region": record.region,
        "forum_id": record.forum_id,
        "change_seq": _feed_seq(record, first_seq),
        "updated_at": record.updated_at,
        "updated_by": record.updated_by,
        "writer_informed": record.writer_informed,
    }


def _keyed(row: dict[str, Any]) -> dict[str, Any]:
    """An UPDATE's parameters: the key to find the row by, and its other columns to set."""
    return {"key_kind": row.pop("kind"), "key_id": row.pop("id"), **row}


def _chunks(items: Iterable[_T]) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
