"""The device identity and the outbox of pending changes, written inside the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from relay_app.store.models import DeviceIdentity, PendingChange
from relay_app.store.types import utc_now

ChangeOp = Literal["upsert", "delete"]


def device_identity(session: Session) -> DeviceIdentity:
    """This installation's identity, made the first time it is asked for."""
    device = session.get(DeviceIdentity, 1)
    if device is None:
        device = DeviceIdentity(singleton=1, device_id=str(uuid.uuid4()), last_seq=0, created_at=utc_now())
        session.add(device)
        session.flush()
    return device


def next_seq(session: Session) -> int:
    """The device's next change number; callers hold the write lock (``Database.write``)."""
    device = device_identity(session)
    device.last_seq += 1
    return device.last_seq


def record_change(
    session: Session, kind: str, record_id: str, op: ChangeOp, fields: Iterable[str] = ()
) -> PendingChange:
    """Add a change to the outbox, folding it into the record's pending entry if there is one.

    The entry always takes a fresh sequence number, so an edit made while an earlier version of the
    entry is in flight is never mistaken for that earlier one when the server's receipt arrives.
    """
    now = utc_now()
    seq = next_seq(session)
    entry = session.scalars(
        select(PendingChange).where(PendingChange.kind == kind, PendingChange.record_id == record_id)
    ).one_or_none()
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


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PendingChange)) or 0
