"""The device identity and the outbox of pending changes, written inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from relay_app.store.models import DeviceIdentity, PendingChange
from relay_app.store.types import utc_now

ChangeOp = Literal["upsert", "delete"]
_CHUNK = 500  # record ids per IN (...) clause


def device_identity(session: Session) -> DeviceIdentity:
    """This installation's identity, made the first time it is asked for."""
    device = session.get(DeviceIdentity, 1)
    if device is None:
        device = DeviceIdentity(singleton=1, device_id=str(uuid.uuid4()), last_seq=0, created_at=utc_now())
        session.add(device)
        session.flush()
    return device


def reserve_seqs(session: Session, count: int) -> range:
    """Take ``count`` consecutive change numbers at once (a bulk import takes one per row).

    Callers hold the write lock (``Database.write``), so no other writer can take the same numbers.
    """
    bump = (
        update(DeviceIdentity)
        .values(last_seq=DeviceIdentity.last_seq + count)
        .returning(DeviceIdentity.last_seq)
    )
    last = session.execute(bump).scalar_one_or_none()
    if last is None:  # first change ever: make the identity, then count
        device_identity(session)
        last = session.execute(bump).scalar_one()
    return range(last - count + 1, last + 1)


def next_seq(session: Session) -> int:
    """The device's next change number."""
    return reserve_seqs(session, 1)[0]


def record_change(
    session: Session,
    kind: str,
    record_id: str,
    op: ChangeOp,
    fields: Iterable[str] = (),
    *,
    new_record: bool = False,
    seq: int | None = None,
) -> PendingChange:
    """Add a change to the outbox, folding it into the record's pending entry if there is one.

    The entry always takes a fresh sequence number, so an edit made while an earlier version of the
    entry is in flight is never mistaken for that earlier one when the server's receipt arrives.
    """
    if seq is None:
        seq = next_seq(session)
    entry = None
    if not new_record:  # a record made in this transaction cannot have an entry yet
        entry = session.scalars(
            select(PendingChange).where(PendingChange.kind == kind, PendingChange.record_id == record_id)
        ).one_or_none()
    return _fold(session, entry, kind, record_id, op, fields, seq, utc_now())


def _fold(
    session: Session,
    entry: PendingChange | None,
    kind: str,
    record_id: str,
    op: ChangeOp,
    fields: Iterable[str],
    seq: int,
    now: datetime,
) -> PendingChange:
    """The record's outbox entry with this change folded in (a new one when ``entry`` is None)."""
    if entry is None:
        entry = PendingChange(
            kind=kind, record_id=record_id, op=op, fields=sorted(set(fields)), created_at=now, attempts=0,
            seq=seq,
        )
        session.add(entry)
    else:
        entry.op = op
        entry.fields = sorted(set(entry.fields) | set(fields))
        entry.next_attempt_at = None
    entry.seq = seq
    entry.updated_at = now
    return entry


def record_updates(session: Session, kind: str, changes: Sequence[tuple[str, Sequence[str], int]]) -> None:
    """``record_change(…, "upsert", fields, seq=seq)`` for many (record id, fields, seq) at once:
    the waiting entries of a chunk of records are read in one query instead of one per record."""
    now = utc_now()
    for start in range(0, len(changes), _CHUNK):
        chunk = changes[start : start + _CHUNK]
        waiting = {
            entry.record_id: entry
            for entry in session.scalars(
                select(PendingChange).where(
                    PendingChange.kind == kind, PendingChange.record_id.in_([c[0] for c in chunk])
                )
            )
        }
        for record_id, fields, seq in chunk:
            waiting[record_id] = _fold(
                session, waiting.get(record_id), kind, record_id, "upsert", fields, seq, now
            )


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PendingChange)) or 0


def move_past(session: Session, answered_through: int) -> int:
    """Take the change counter past ``answered_through``, the highest number the server answered.

    Only a store restored from an older copy is behind the server. Its pending entries numbered
    up to ``answered_through`` cannot be told apart: some are changes made since the restore, on
    numbers the server answered for other changes (sent as they are, they would get those answers
    back and be dropped); others were waiting when the copy was taken and may have been sent
    since. All of them take fresh numbers: the first kind is then applied, the second is merged
    against what the server holds (a clash reaches a person as a conflict, never a silent loss).
    ``sent_seq`` stays: a send from before the copy is still asked about first. Returns how many
    entries were renumbered.
    """
    if answered_through <= device_identity(session).last_seq:
        return 0
    session.execute(update(DeviceIdentity).values(last_seq=answered_through))
    behind = session.scalars(
        select(PendingChange)
        .where(PendingChange.seq <= answered_through)
        .order_by(PendingChange.seq)
    ).all()
    for entry, seq in zip(behind, reserve_seqs(session, len(behind)), strict=True):
        entry.seq = seq
    return len(behind)
