"""The outbox as push batches, and the server's receipts written back.

A change leaves the outbox only when the server's receipt for its very ``seq`` is stored: an edit
made while the batch was in flight took a new ``seq``, so its entry stays for the next push. If the
server's answer merged in another device's value for a field edited here in that window, the
server's value stands and this device's is kept as a conflict for a person, never silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from relay_app.forms import form_for
from relay_app.i18n import _
from relay_app.services.outbox import next_seq
from relay_app.store.models import SYNCED_MODELS, PendingChange, SyncConflict, SyncedRecord
from relay_app.store.types import utc_now
from relay_app.sync.errors import ReceiptMismatch
from relay_app.sync.values import column_value, wire_values
from relay_app.sync.wire import (
    DELETED_FIELD,
    Applied,
    Change,
    ChangeResult,
    Conflicted,
    FieldErrorBody,
    Merged,
    Rejected,
)

# Records others refer to go first, so a forum reaches the server before its registrations, a
# registration before its check-ins, and a partner or practice before the links to its files.
KIND_ORDER = ("partners", "forums", "practices", "registrations", "checkins", "attachments")
REJECTED_BACKOFF = timedelta(minutes=1)
REJECTED_BACKOFF_MAX = timedelta(hours=12)


@dataclass(frozen=True)
class Outgoing:
    """One change as sent; its ``fields`` tell later which values the receipt covers."""

    change: Change

    @property
    def key(self) -> tuple[str, str]:
        return (self.change.kind, self.change.id)


@dataclass
class ReceiptCounts:
    pushed: int = 0
    conflicts: int = 0
    rejected: int = 0
    rejected_messages: list[str] = field(default_factory=list)


def due_entries(session: Session, now: datetime | None) -> list[tuple[str, str]]:
    """(kind, record id) of the outbox entries to send, in sending order.

    ``now`` None ignores the backoff of refused changes (a sync asked for by a person).
    """
    rank = case({kind: index for index, kind in enumerate(KIND_ORDER)}, value=PendingChange.kind)
    statement = select(PendingChange.kind, PendingChange.record_id).order_by(rank, PendingChange.seq)
    if now is not None:
        statement = statement.where(
            or_(
                PendingChange.next_attempt_at.is_(None),
                PendingChange.next_attempt_at <= now,
                # Further off than any backoff: the device clock was set back; do not wait for it.
                PendingChange.next_attempt_at > now + REJECTED_BACKOFF_MAX,
            )
        )
    return [(kind, rid) for kind, rid in session.execute(statement)]


def unconfirmed_entries(session: Session) -> list[tuple[str, str]]:
    """Entries edited again after a send whose receipt never arrived (cut link, killed app)."""
    statement = select(PendingChange.kind, PendingChange.record_id).where(
        PendingChange.sent_seq.is_not(None), PendingChange.sent_seq != PendingChange.seq
    )
    return [(kind, rid) for kind, rid in session.execute(statement)]


def build_probes(session: Session, keys: list[tuple[str, str]]) -> list[Outgoing]:
    """The earlier seqs of these entries, to learn the server's remembered answers.

    The server answers a seq it has seen with its first answer; one it never received is applied
    with the record's current values, which the newer seq would have sent anyway.
    """
    probes: list[Outgoing] = []
    for kind, record_id in keys:
        entry = _entry(session, kind, record_id)
        if entry is None or entry.sent_seq is None:
            continue
        change = _change(entry, _record(session, kind, record_id))
        probes.append(Outgoing(change.model_copy(update={"seq": entry.sent_seq})))
    return probes


def mark_sent(session: Session, sent: list[Outgoing]) -> None:
    """Remember what goes out before it goes: a receipt lost on the way is then asked for again."""
    for outgoing in sent:
        entry = _entry(session, outgoing.change.kind, outgoing.change.id)
        if entry is not None:
            entry.sent_seq = outgoing.change.seq


def forget_sent(session: Session, refused: list[Outgoing]) -> None:
    """A push refused whole, before anything of it was applied: its entries are not in flight."""
    for outgoing in refused:
        entry = _entry(session, outgoing.change.kind, outgoing.change.id)
        if entry is not None and entry.sent_seq == outgoing.change.seq:
            entry.sent_seq = None


def build_batch(session: Session, keys: list[tuple[str, str]]) -> list[Outgoing]:
    """The changes for these outbox entries as they stand now (an entry may have moved on)."""
    outgoing: list[Outgoing] = []
    for kind, record_id in keys:
        entry = _entry(session, kind, record_id)
        if entry is None:
            continue  # sent and cleared by an earlier batch meanwhile
        row = _record(session, kind, record_id)
        outgoing.append(Outgoing(_change(entry, row)))
    return outgoing


def _change(entry: PendingChange, row: SyncedRecord | None) -> Change:
    base = row.base_version if row is not None and row.base_version else None
    if entry.op == "delete" or row is None:
        return Change(seq=entry.seq, kind=entry.kind, id=entry.record_id, op="delete",  # type: ignore[arg-type]
                      base_version=base)
    dirty = set(row.dirty_fields or ()) | set(entry.fields or ())
    if base is None:  # a create: every field that has a value (the server takes the rest as empty)
        values = wire_values(entry.kind, row)
        fields = {name: value for name, value in values.items()
                  if name in dirty or value not in (None, "", [])}
    else:
        fields = wire_values(entry.kind, row, sorted(dirty))
    return Change(seq=entry.seq, kind=entry.kind, id=entry.record_id, op="upsert",  # type: ignore[arg-type]
                  base_version=base, fields=fields)


def _entry(session: Session, kind: str, record_id: str) -> PendingChange | None:
    return session.scalars(
        select(PendingChange).where(PendingChange.kind == kind, PendingChange.record_id == record_id)
    ).one_or_none()


def _record(session: Session, kind: str, record_id: str) -> SyncedRecord | None:
    model = SYNCED_MODELS[kind]
    return session.scalars(select(model).where(model.id == record_id)).one_or_none()  # type: ignore[attr-defined]


def store_receipts(
    session: Session,
    sent: list[Outgoing],
    results: list[ChangeResult],
    counts: ReceiptCounts,
    *,
    probes: bool = False,
) -> None:
    """Write every result of one push answer; the caller commits them together.

    Raises ``ReceiptMismatch`` before writing anything when the results do not name exactly the
    changes sent. ``probes`` answers (see ``build_probes``) only move the base version on and keep
    conflicts: the entry and its dirty fields stay for the newer seq.
    """
    now = utc_now()
    for outgoing, result in match_receipts(sent, results):
        change = outgoing.change
        entry = _entry(session, change.kind, change.id)
        if entry is not None and entry.sent_seq == change.seq:
            entry.sent_seq = None  # this send's outcome is known now
        if probes:
            row = _record(session, change.kind, change.id)
            if row is not None and not isinstance(result, Rejected):
                _settle_record(session, row, change, result, counts, keep_dirty=True)
            continue
        still_current = entry is not None and entry.seq == change.seq
        if isinstance(result, Rejected):
            counts.rejected += 1
            message = refusal_text(change.kind, result.errors)
            counts.rejected_messages.append(message)
            if still_current and entry is not None:
                # The server remembers its answer to every seq, refusals too: the retry takes a
                # fresh seq so that it is decided again (the owner of a file link may have
                # arrived meanwhile). Nothing was applied, so nothing can be applied twice.
                entry.seq = next_seq(session)
                entry.attempts = (entry.attempts or 0) + 1
                entry.last_error = message
                entry.next_attempt_at = now + min(
                    REJECTED_BACKOFF * 2 ** (entry.attempts - 1), REJECTED_BACKOFF_MAX
                )
            continue
        counts.pushed += 1
        row = _record(session, change.kind, change.id)
        if row is not None:
            _settle_record(session, row, change, result, counts)
        if still_current:
            session.delete(entry)


def refusal_text(kind: str, errors: Sequence[FieldErrorBody]) -> str:
    """A refusal as a person reads it: each problem after the form's label for its field, or
    alone when it concerns the change as a whole (``not_stored`` names no field)."""
    return "; ".join(_problem_text(kind, error) for error in errors)


def _problem_text(kind: str, error: FieldErrorBody) -> str:
    if not error.field:
        return error.message
    return _("{field}: {message}").format(field=field_label(kind, error.field), message=error.message)


def field_label(kind: str, name: str) -> str:
    """The form's label for ``name``, in the current language; a name the form does not know (an
    unknown field the server repeats back, the deletion marker) is shown as the server sent it."""
    try:
        return _(form_for(kind).field(name).label)
    except KeyError:
        return name


def match_receipts(
    sent: list[Outgoing], results: list[ChangeResult]
) -> list[tuple[Outgoing, ChangeResult]]:
    """Each change sent with the result that names it by (seq, kind, id), in sending order.

    A result is trusted only for the change it names: by position, a reordered answer would mark
    the wrong rows as synced, and one about other changes would empty the outbox. An answer with
    a result missing, extra, or named twice is refused whole.
    """
    by_key = {(result.seq, result.kind, result.id): result for result in results}
    if len(by_key) != len(results) or len(results) != len(sent):
        raise ReceiptMismatch()
    try:
        return [(outgoing, by_key[_receipt_key(outgoing.change)]) for outgoing in sent]
    except KeyError:
        raise ReceiptMismatch() from None


def _receipt_key(change: Change) -> tuple[int, str, str]:
    return (change.seq, change.kind, change.id)


def _settle_record(
    session: Session,
    row: SyncedRecord,
    change: Change,
    result: ChangeResult,
    counts: ReceiptCounts,
    *,
    keep_dirty: bool = False,
) -> None:
    assert isinstance(result, Applied | Merged | Conflicted)
    if result.version > 0:
        row.base_version = result.version
    sent_now = wire_values(change.kind, row, list(change.fields))
    # A field edited again since it was sent stays dirty; the others are now on the server.
    settled = {name for name, value in change.fields.items() if sent_now.get(name) == value}
    dirty = set(row.dirty_fields or ()) - (set() if keep_dirty else settled)
    if change.op == "delete" and isinstance(result, Applied) and row.deleted and not keep_dirty:
        # The tombstone is on the server: edits made before the delete are moot, and left marked
        # as unsent they would make later pulls keep this copy over a restore made elsewhere.
        dirty = set()
    in_flight_kept = False
    if isinstance(result, Merged):
        for name, value in result.merged_fields.items():
            if name in dirty and not keep_dirty:
                # Edited here after the batch left: the server's value stands, ours waits for
                # a person, as if the server had reported the clash itself.
                _keep_in_flight_edit(session, row, change, result.version, name, value, counts)
                dirty.discard(name)
                in_flight_kept = True
                continue
            if name not in dirty:
                setattr(row, name, column_value(change.kind, name, value))
    if isinstance(result, Conflicted):
        for conflict in result.conflicts:
            counts.conflicts += 1
            _keep_conflict(session, change, result.version, conflict.field, conflict.base_value,
                           conflict.client_value, conflict.server_value)
            if conflict.field == DELETED_FIELD:
                server_deleted = bool(conflict.server_value)
                _settle_deleted(row, server_deleted=server_deleted)
                # An edit of a record deleted elsewhere stays marked as mine, so a pulled
                # tombstone does not overwrite it before a person decides.
                dirty = set(row.dirty_fields or ()) if server_deleted else set()
            elif conflict.field not in dirty:  # the server's value stands until a person decides
                setattr(row, conflict.field, column_value(change.kind, conflict.field,
                                                          conflict.server_value))
    row.dirty_fields = sorted(dirty)
    if in_flight_kept and not dirty:
        # The edit that moved the entry on is now a conflict, and every other field it names
        # holds what the server holds: nothing is left to send.
        entry = _entry(session, change.kind, change.id)
        if entry is not None and entry.op == "upsert":
            session.delete(entry)


def _keep_in_flight_edit(
    session: Session,
    row: SyncedRecord,
    change: Change,
    version: int,
    name: str,
    server_value: Any,
    counts: ReceiptCounts,
) -> None:
    """The server's value into ``row``, the local edit into a conflict (unless both agree).

    Either way the field then holds what the server holds: it is no longer unsent. The base both
    edits started from is not known here (the field was not part of the change), so the
    conflict's base value is empty.
    """
    mine = wire_values(change.kind, row, [name]).get(name)
    if mine != server_value:
        counts.conflicts += 1
        _keep_conflict(session, change, version, name, None, mine, server_value)
        setattr(row, name, column_value(change.kind, name, server_value))
    entry = _entry(session, change.kind, change.id)
    if entry is not None and name in (entry.fields or ()):
        entry.fields = [field for field in entry.fields if field != name]


def _settle_deleted(row: SyncedRecord, *, server_deleted: bool) -> None:
    row.deleted = server_deleted
    row.deleted_at = utc_now() if server_deleted else None


def _keep_conflict(
    session: Session, change: Change, version: int, name: str, base: Any, mine: Any, theirs: Any
) -> None:
    existing = session.scalars(
        select(SyncConflict).where(
            SyncConflict.kind == change.kind,
            SyncConflict.record_id == change.id,
            SyncConflict.field == name,
        )
    ).one_or_none()
    if existing is None:
        existing = SyncConflict(kind=change.kind, record_id=change.id, field=name)
        session.add(existing)
    existing.base_value = base
    existing.mine = mine
    existing.theirs = theirs
    existing.server_version = version
    existing.created_at = utc_now()

