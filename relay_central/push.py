"""Apply a pushed batch: one transaction, one answer per change, each answer remembered.

Order of checks for one change: replay memory, write permission on the record as the server holds
it, field names, the text rule on the sent values, three-way merge, validation of the merged full
record with the client's own form validator, write permission on the result. Rejected changes write
nothing; the others in the batch are still applied (see docs/sync-protocol.md, "Push").

A check-in (protocol 3, an append-only kind) is stored once: a change for a scan the server
already holds, whatever device sends it, is answered `applied` with the held version and writes
nothing (the scan's id is its idempotency key); a delete of one is refused. So check-ins never
meet the three-way merge and are never a conflict.

Each stored version also records whether the answer told the writing device everything needed to
hold it (`writer_informed`): then pull may send that device its own change back without values.

The decisions run against a `BatchStore`: the batch's rows are read in a few queries up front and
written together at the end, so a push costs about the same handful of statements whatever its
number of changes, while each change still sees the ones before it in the batch. The batch runs in
a SAVEPOINT: should deciding or writing it fail (a change the database refuses, a bug that one
record's data triggers), it is rolled back and done again one change at a time, each in its own
SAVEPOINT, and a change that fails alone is answered `rejected` with code `not_stored`. A failure
of the database itself (`failures.is_database_failure`) fails the request instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from relay_app.forms import METADATA_KEYS, FieldError, Form, form_for
from relay_app.forms.errors import INVALID_REFERENCE, UNKNOWN_FIELD
from relay_app.forms.hygiene import shown
from relay_app.i18n import _
from relay_app.sync.wire import (
    APPEND_ONLY_KINDS,
    DELETED_FIELD,
    Applied,
    Change,
    ChangeResult,
    Conflicted,
    FieldConflict,
    FieldErrorBody,
    Merged,
    PushRequest,
    PushResponse,
    Rejected,
)
from relay_central import scope, scope_exits
from relay_central.answers import bounded_answer
from relay_central.auth import Actor
from relay_central.db import Database
from relay_central.erasure import Erased, erase_history, flush_wal, personal_fields, without_personal
from relay_central.errors import ApiError
from relay_central.failures import describe, is_database_failure
from relay_central.merge import MergeOutcome, three_way_merge
from relay_central.models import utc_now
from relay_central.push_store import BatchStore, StoredRecord
from relay_central.settings import Settings
from relay_central.text import has_nul, without_nul
from relay_central.volume import check_push_volume, count_push_volume

_RESULT = TypeAdapter(ChangeResult)
# Version answered for the delete of a record the server never held: nothing was stored.
NEVER_HELD = 0
# `seq` is stored as a signed 64-bit integer (BIGINT) on both engines.
MAX_SEQ = 2**63 - 1
# The code of a change the server failed to store, alone in its batch; the device sends it again.
NOT_STORED = "not_stored"
# The code refusing a change to a record of an append-only kind (a check-in) once it is stored.
APPEND_ONLY = "append_only"

logger = logging.getLogger("relay_central")


def apply_batch(
    database: Database, settings: Settings, actor: Actor, request: PushRequest
) -> PushResponse:
    if len(request.changes) > settings.max_batch_changes:
        raise ApiError(
            413,
            "batch_too_large",
            _("A batch may hold at most {limit} changes; send smaller batches.").format(
                limit=settings.max_batch_changes
            ),
        )
    _check_identifiers(request)
    with database.writing() as session:
        now = utc_now()
        check_push_volume(session, settings, actor.device_pk, now)
        try:
            with session.begin_nested():
                results, erased = _apply(
                    session, settings, actor, request.batch_id, request.changes, now
                )
        except Exception as error:
            if is_database_failure(error):
                raise
            logger.warning(
                "push batch failed as a whole; applying its changes one at a time",
                extra={"batch_id": request.batch_id, **describe(error)},
            )
            results, erased = [], []
            for change in request.changes:
                result, erased_alone = _apply_alone(
                    session, settings, actor, request.batch_id, change, now
                )
                results.append(result)
                erased.extend(erased_alone)
    if erased:
        flush_wal(database)
    return PushResponse(batch_id=request.batch_id, results=results, server_time=utc_now())


def _apply(
    session: Session,
    settings: Settings,
    actor: Actor,
    batch_id: str,
    changes: Sequence[Change],
    now: datetime,
) -> tuple[list[ChangeResult], list[Erased]]:
    """The answers to ``changes``, remembered, and the deleted records whose personal fields were
    erased from every kept copy in the same transaction."""
    batch = _Batch(session, settings, actor, batch_id, changes)
    results = [batch.answer(change) for change in changes]
    batch.store.write()
    count_push_volume(session, actor.device_pk, now, *batch.store.stored_volume())
    erase_history(session, batch.erased)
    return results, batch.erased


def _apply_alone(
    session: Session,
    settings: Settings,
    actor: Actor,
    batch_id: str,
    change: Change,
    now: datetime,
) -> tuple[ChangeResult, list[Erased]]:
    """One change in its own SAVEPOINT: its failure is its own `rejected` answer, not remembered,
    so that the same change sent again is decided again."""
    try:
        with session.begin_nested():
            [result], erased = _apply(session, settings, actor, batch_id, [change], now)
            return result, erased
    except Exception as error:
        if is_database_failure(error):
            raise
        logger.warning(
            "change not stored",
            extra={"batch_id": batch_id, "seq": change.seq, "kind": change.kind,
                   "record_id": change.id, **describe(error)},
        )
        return _rejected(
            change,
            [
                FieldErrorBody(
                    field="",
                    code=NOT_STORED,
                    message=_(
                        "The server could not store this change; it will be sent again at a "
                        "later sync."
                    ),
                )
            ],
        ), []


def _check_identifiers(request: PushRequest) -> None:
    """Refuse, before any transaction, identifiers the database cannot store (422)."""
    details: list[dict[str, str]] = []
    if has_nul(request.batch_id):
        details.append({"location": "body.batch_id", "message": _("contains a NUL character")})
    for index, change in enumerate(request.changes):
        if has_nul(change.id):
            details.append({
                "location": f"body.changes.{index}.id",
                "message": _("contains a NUL character"),
            })
        if change.seq > MAX_SEQ:
            details.append({
                "location": f"body.changes.{index}.seq",
                "message": _("must be at most {limit}").format(limit=MAX_SEQ),
            })
    if details:
        raise ApiError(
            422,
            "invalid_request",
            _("The request does not follow the sync protocol: {details}").format(
                details="; ".join(f"{d['location']}: {d['message']}" for d in details[:5])
            ),
            details=details,
        )


class _Batch:
    def __init__(
        self,
        session: Session,
        settings: Settings,
        actor: Actor,
        batch_id: str,
        changes: Sequence[Change],
    ) -> None:
        self.settings = settings
        self.actor = actor
        self.store = BatchStore(session, actor.device_pk, batch_id, changes)
        # The fields of the change being decided, as the device sent them (see `answer`).
        self._sent: dict[str, Any] = {}
        # Deleted records whose personal fields go from every kept copy once the batch is written.
        self.erased: list[Erased] = []

    def answer(self, change: Change) -> ChangeResult:
        remembered = self.store.remembered(change.seq)
        if remembered is not None:
            return _RESULT.validate_python(remembered)
        # What the device sent, before NUL stripping: a value the server had to clean is a value
        # the device does not hold, so its echo must carry values.
        self._sent = {k: v for k, v in change.fields.items() if k not in METADATA_KEYS}
        result = self._decide(change.model_copy(update={"fields": without_nul(change.fields)}))
        # What is answered is also stored until retention ends: a bounded account only.
        result = bounded_answer(result)
        self.store.remember(change.seq, result.model_dump(mode="json"))
        return result

    # --- decisions ----------------------------------------------------------------------------

    def _decide(self, change: Change) -> ChangeResult:
        record = self.store.record(change.kind, change.id)
        if record is not None and (refusal := self._refusal(change, record, None)) is not None:
            return refusal
        if change.kind in APPEND_ONLY_KINDS:
            if change.op == "delete":
                return self._append_only(change)
            if record is not None:  # the same scan again: it is recorded already
                return Applied(seq=change.seq, kind=change.kind, id=change.id,
                               version=record.version)
        if change.op == "delete":
            return self._delete(change, record)
        form = form_for(change.kind)
        # Record metadata (id, timestamps...) is the client's own business, not a field to merge.
        fields = {k: v for k, v in change.fields.items() if k not in METADATA_KEYS}
        known = set(form.field_names())
        unknown = [name for name in fields if name not in known]
        if unknown:
            return _rejected(change, [_unknown_field(shown(name)) for name in unknown])
        # Before the merge: a conflict would echo the sent text back, and no answer can hold it.
        if text_errors := form.text_errors(fields):
            return _rejected(change, _bodies(text_errors))
        if record is None:
            return self._write(change, None, three_way_merge({}, {}, fields), form)
        if record.deleted:
            if change.base_version is None or change.base_version < record.version:
                # An edit made without knowing of the delete: kept as a conflict, never dropped.
                return Conflicted(
                    seq=change.seq,
                    kind=change.kind,
                    id=change.id,
                    version=record.version,
                    conflicts=[
                        FieldConflict(
                            field=DELETED_FIELD,
                            server_value=True,
                            client_value=False,
                            base_value=False,
                        )
                    ],
                )
            # The client saw the delete and edits anyway: the record is restored.
            outcome = three_way_merge(record.values, record.values, fields)
            return self._write(change, record, outcome, form, restore=True)
        base = self._base_values(record, change.base_version)
        outcome = three_way_merge(base, record.values, fields)
        return self._write(change, record, outcome, form)

    def _refusal(
        self, change: Change, before: StoredRecord | None, after: Mapping[str, Any] | None
    ) -> Rejected | None:
        """`scope.may_write`, with forum and owner regions read from the batch (earlier changes
        included): the answer refusing the change, or None when the relay may make it."""
        if before is not None:
            if before.kind == scope.CHECKINS:
                region = self.store.forum_region(before.forum_id)
            else:
                region = self._region(before.kind, before.values, fallback=before.region)
            if region not in self.actor.regions:
                return self._forbidden(change)
        if after is not None:
            if change.kind == scope.ATTACHMENTS and self.store.owner(after) is None:
                return self._unknown_owner(change)
            if change.kind == scope.CHECKINS and self.store.registration(after) is None:
                return self._unknown_registration(change)
            if self._region(change.kind, after) not in self.actor.regions:
                return self._forbidden(change)
        return None

    def _region(
        self, kind: str, values: Mapping[str, Any], *, fallback: str | None = None
    ) -> str | None:
        if kind == scope.REGISTRATIONS:
            return self.store.forum_region(scope.forum_of(values))
        if kind == scope.ATTACHMENTS:
            # A link whose owner is gone (a pruned tombstone) keeps the region it was written in,
            # so that the relays of that region can still remove it.
            owner = self.store.owner(values)
            return owner.region if owner is not None else fallback
        if kind == scope.CHECKINS:
            return self.store.forum_region(self._checkin_forum(values))
        return scope.own_region(values)

    def _checkin_forum(self, values: Mapping[str, Any]) -> str | None:
        """The forum of a check-in's registration, as held now (earlier changes included)."""
        registration = self.store.registration(values)
        return scope.forum_of(registration.values) if registration is not None else None

    def _write(
        self,
        change: Change,
        record: StoredRecord | None,
        outcome: MergeOutcome,
        form: Form,
        *,
        restore: bool = False,
    ) -> ChangeResult:
        version = record.version if record is not None else NEVER_HELD
        if outcome.changed or restore or record is None:
            validation = form.validate(outcome.values)
            if validation.errors:
                return _rejected(change, _bodies(validation.errors))
            values = form.to_json(validation.cleaned)
            if (refusal := self._refusal(change, None, values)) is not None:
                return refusal
            if record is None or values != record.values or restore:
                # The device holds its base plus what it sent plus `merged_fields`, that is the
                # server's previous values with its fields laid over them; a device creating a
                # record sends every field it filled, so the others are empty on its side too.
                previous = record.values if record is not None else _empty_record(form)
                informed = not outcome.conflicts and _same_json(values, {**previous, **self._sent})
                version = self._store(
                    change.kind, change.id, record, values, deleted=False, informed=informed
                )
        return _answer(change, version, outcome)

    def _delete(self, change: Change, record: StoredRecord | None) -> ChangeResult:
        if record is None:
            return Applied(seq=change.seq, kind=change.kind, id=change.id, version=NEVER_HELD)
        if record.deleted:
            return Applied(seq=change.seq, kind=change.kind, id=change.id, version=record.version)
        stale = change.base_version is None or change.base_version < record.version
        if stale and not self.settings.delete_wins_over_edit:
            return Conflicted(
                seq=change.seq,
                kind=change.kind,
                id=change.id,
                version=record.version,
                conflicts=[
                    FieldConflict(
                        field=DELETED_FIELD, server_value=False, client_value=True, base_value=False
                    )
                ],
            )
        # A delete based on the version it removes leaves the device holding exactly the tombstone
        # (its own copy keeps the personal fields the server's tombstone leaves out).
        tombstone = without_personal(change.kind, record.values)
        version = self._store(
            change.kind, change.id, record, tombstone, deleted=True, informed=not stale
        )
        if personal_fields(change.kind):
            self.erased.append(Erased(change.kind, change.id, version))
        return Applied(seq=change.seq, kind=change.kind, id=change.id, version=version)

    # --- storage ------------------------------------------------------------------------------

    def _base_values(
        self, record: StoredRecord, base_version: int | None
    ) -> Mapping[str, Any] | None:
        """The record's values at the client's base version; None when unknown (or pruned)."""
        if base_version is None or base_version > record.version:
            return None
        if base_version == record.version:
            return record.values
        return self.store.version_values(record.kind, record.id, base_version)

    def _store(
        self,
        kind: str,
        record_id: str,
        record: StoredRecord | None,
        values: dict[str, Any],
        *,
        deleted: bool,
        informed: bool,
    ) -> int:
        if kind == scope.REGISTRATIONS:
            region, forum_id = None, scope.forum_of(values)
        elif kind == scope.CHECKINS:
            region, forum_id = None, self._checkin_forum(values)
        else:
            fallback = record.region if record is not None else None
            region, forum_id = self._region(kind, values, fallback=fallback), None
        # A forum that changed region: its registrations go out again, to its new region, and
        # leave the old one's relays (as does a registration moved to another region's forum).
        moved = kind == scope.FORUMS and record is not None and record.region != region
        left = self._region_left(kind, record, region, forum_id)
        forum_before = scope.forum_of(record.values) if record is not None else None
        stored = self.store.store(
            kind, record_id, values, deleted=deleted, region=region, forum_id=forum_id,
            writer_informed=informed,
        )
        if moved:
            self.store.resend_registrations(record_id)
            scope_exits.forum_left(self.store.session, record_id, left)
        elif kind == scope.REGISTRATIONS:
            scope_exits.registration_left(self.store.session, record_id, left)
            if record is not None and forum_id != forum_before:
                # Its scans follow it to its new forum (and leave the old region's relays).
                scans = self.store.move_checkins(record_id, forum_before, forum_id)
                scope_exits.checkins_left(self.store.session, scans, left)
        return stored.version

    def _region_left(
        self, kind: str, record: StoredRecord | None, region: str | None, forum_id: str | None
    ) -> str | None:
        """The region a forum or a registration leaves with this version (read before it is
        stored), or None when it stays where it was."""
        if record is None:
            return None
        if kind == scope.FORUMS:
            return record.region if record.region != region else None
        if kind == scope.REGISTRATIONS:
            before = self.store.forum_region(scope.forum_of(record.values))
            return before if before != self.store.forum_region(forum_id) else None
        return None

    def _unknown_owner(self, change: Change) -> Rejected:
        """A file's link that arrived before its record: the client sends it again later."""
        return _rejected(
            change,
            [
                FieldErrorBody(
                    field=scope.OWNER_ID_FIELD,
                    code=INVALID_REFERENCE,
                    message=_(
                        "The record this file belongs to is not on the server yet; the file's "
                        "link will be sent again at a later sync."
                    ),
                )
            ],
        )

    def _unknown_registration(self, change: Change) -> Rejected:
        """A check-in that arrived before its registration: the client sends it again later."""
        return _rejected(
            change,
            [
                FieldErrorBody(
                    field=scope.REGISTRATION_FIELD,
                    code=INVALID_REFERENCE,
                    message=_(
                        "The registration this check-in belongs to is not on the server yet; "
                        "the check-in will be sent again at a later sync."
                    ),
                )
            ],
        )

    def _append_only(self, change: Change) -> Rejected:
        return _rejected(
            change,
            [
                FieldErrorBody(
                    field="",
                    code=APPEND_ONLY,
                    message=_(
                        "A check-in is never changed or removed once made; undo it with a "
                        "cancelling scan."
                    ),
                )
            ],
        )

    def _forbidden(self, change: Change) -> Rejected:
        field = {
            scope.REGISTRATIONS: scope.FORUM_FIELD,
            scope.CHECKINS: scope.REGISTRATION_FIELD,
            scope.ATTACHMENTS: scope.OWNER_ID_FIELD,
        }.get(change.kind, scope.REGION_FIELD)
        return _rejected(
            change,
            [
                FieldErrorBody(
                    field=field,
                    code="forbidden",
                    message=_(
                        "You may only change records of your regions ({regions})."
                    ).format(regions=", ".join(sorted(self.actor.regions))),
                )
            ],
        )


def _empty_record(form: Form) -> dict[str, Any]:
    return form.to_json({field.name: field.empty_value() for field in form.fields})


def _same_json(left: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
    """Equal as the device would hold them: unlike ==, 1 is not true and 2.0 is not 2."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def _rejected(change: Change, errors: list[FieldErrorBody]) -> Rejected:
    return Rejected(seq=change.seq, kind=change.kind, id=change.id, errors=errors)


def _unknown_field(name: str) -> FieldErrorBody:
    """`name` as `hygiene.shown` quotes it: a field name may hold text no answer can carry."""
    return FieldErrorBody(
        field=name,
        code=UNKNOWN_FIELD,
        message=_("{field} is not a field of this record.").format(field=name),
    )


def _bodies(errors: Iterable[FieldError]) -> list[FieldErrorBody]:
    return [
        FieldErrorBody(field=error.field or "", code=error.code, message=error.message)
        for error in errors
    ]


def _answer(change: Change, version: int, outcome: MergeOutcome) -> ChangeResult:
    if outcome.conflicts:
        return Conflicted(
            seq=change.seq,
            kind=change.kind,
            id=change.id,
            version=version,
            conflicts=[
                FieldConflict(
                    field=conflict.field,
                    server_value=conflict.server_value,
                    client_value=conflict.client_value,
                    base_value=conflict.base_value,
                )
                for conflict in outcome.conflicts
            ],
        )
    if outcome.server_changes:
        return Merged(
            seq=change.seq,
            kind=change.kind,
            id=change.id,
            version=version,
            merged_fields=outcome.server_changes,
        )
    return Applied(seq=change.seq, kind=change.kind, id=change.id, version=version)
