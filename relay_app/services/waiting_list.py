"""A forum's capacity and waiting list: rules every write of a registration or forum obeys.

``RecordService`` applies them inside the transaction of the write, so the window, the command
line and imports follow the same rules:

- A new registration asking for a place in a full forum is put on the waiting list.
- A registration may not take a place (become ``registered``, or move to another forum while
  registered) in a full forum: the person raises the capacity or cancels someone first.
- A place that frees up (a cancellation, a deletion, a move to another forum, a raised or
  removed capacity) goes to the first person waiting, oldest registration first.

Two desks that promote offline may both give the same place away; sync never hides it: the
head-count then shows the forum over capacity and who came in last (``beyond_capacity``).
The other way round, a place freed on a desk that knew nobody waiting (they were registered on
another laptop) stays free after sync: a sync never promotes, since every desk that pulled would.
The head-count offers it instead (``places_to_give``) and a person gives it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from relay_app.forms import FieldError
from relay_app.i18n import _
from relay_app.services.errors import ValidationFailed
from relay_app.services.outbox import record_change
from relay_app.store.models import Forum, Registration, SyncedRecord
from relay_app.store.types import utc_now

REGISTERED = "registered"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
FULL = "forum_full"


def queue_order(row: Registration) -> tuple[bool, str, str]:
    """Oldest registration first. Those made before the time was kept come first, by id: every
    desk then serves the list in the same order."""
    when = row.registered_at.isoformat() if row.registered_at is not None else ""
    return (row.registered_at is not None, when, row.id)


def capacity_of(session: Session, forum_id: str | None) -> int | None:
    if not forum_id:
        return None
    return session.scalar(
        select(Forum.capacity).where(Forum.id == forum_id, Forum.deleted.is_(False))
    )


def registered_count(session: Session, forum_id: str, excluding: str | None = None) -> int:
    session.flush()  # rows added earlier in this transaction (an import) count too
    statement = select(func.count()).select_from(Registration).where(
        Registration.forum_id == forum_id,
        Registration.status == REGISTERED,
        Registration.deleted.is_(False),
    )
    if excluding is not None:
        statement = statement.where(Registration.id != excluding)
    return session.scalar(statement) or 0


def waiting(session: Session, forum_id: str) -> list[Registration]:
    """The forum's waiting list, first in line first."""
    session.flush()
    rows = session.scalars(
        select(Registration).where(
            Registration.forum_id == forum_id,
            Registration.status == WAITLISTED,
            Registration.deleted.is_(False),
        )
    ).all()
    return sorted(rows, key=queue_order)


def _is_full(session: Session, forum_id: str | None, excluding: str | None = None) -> bool:
    capacity = capacity_of(session, forum_id)
    return capacity is not None and forum_id is not None and (
        registered_count(session, forum_id, excluding) >= capacity
    )


def promote(session: Session, forum_id: str | None) -> list[str]:
    """Give the forum's free places to the people waiting, first in line first; their ids."""
    capacity = capacity_of(session, forum_id)
    if forum_id is None:
        return []
    free = None if capacity is None else capacity - registered_count(session, forum_id)
    promoted: list[str] = []
    for row in waiting(session, forum_id):
        if free is not None and free <= 0:
            break
        _set_status(session, row, REGISTERED)
        promoted.append(row.id)
        if free is not None:
            free -= 1
    return promoted


def _set_status(session: Session, row: Registration, status: str) -> None:
    """A status change with its outbox entry, as ``RecordService.apply`` writes one."""
    row.status = status
    row.updated_at = utc_now()
    row.dirty_fields = sorted({*(row.dirty_fields or ()), "status"})
    record_change(session, "registrations", row.id, "upsert", ["status"])


def _full_error(session: Session, forum_id: str) -> ValidationFailed:
    capacity = capacity_of(session, forum_id) or 0
    message = _(
        "The forum is full ({count} of {capacity} places taken): raise its capacity or cancel "
        "another registration first."
    ).format(count=registered_count(session, forum_id), capacity=capacity)
    return ValidationFailed(
        [FieldError(field="status", code=FULL, message=message, params={"capacity": capacity})]
    )


@dataclass(frozen=True)
class RegistrationRules:
    """The rules for writes of registrations."""

    def on_insert(self, session: Session, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        values = dict(cleaned)
        if values.get("registered_at") is None:
            values["registered_at"] = utc_now()
        status = values.get("status") or REGISTERED
        if status == REGISTERED and _is_full(session, values.get("forum_id")):
            values["status"] = WAITLISTED
        return values

    def on_update(
        self, session: Session, row: SyncedRecord, cleaned: Mapping[str, Any]
    ) -> dict[str, Any]:
        assert isinstance(row, Registration)
        values = dict(cleaned)
        forum_id = values.get("forum_id")
        takes_place = values.get("status") == REGISTERED and (
            row.status != REGISTERED or row.forum_id != forum_id
        )
        if takes_place and forum_id and _is_full(session, forum_id):
            raise _full_error(session, forum_id)
        return values

    def after_write(self, session: Session, row: SyncedRecord, before: Mapping[str, Any]) -> None:
        assert isinstance(row, Registration)
        held_place = before.get("status") == REGISTERED
        still_holds = row.status == REGISTERED and not row.deleted
        forum_before = before.get("forum_id")
        if held_place and (not still_holds or row.forum_id != forum_before):
            promote(session, forum_before)

    def on_restore(self, session: Session, row: SyncedRecord) -> None:
        """A registration brought back joins the waiting list if its place was given away."""
        assert isinstance(row, Registration)
        if row.status == REGISTERED and _is_full(session, row.forum_id, excluding=row.id):
            _set_status(session, row, WAITLISTED)


@dataclass(frozen=True)
class NoRules:
    """Writes of kinds without rules: values pass as they are. The other rules start from it."""

    def on_insert(self, session: Session, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        return dict(cleaned)

    def on_update(
        self, session: Session, row: SyncedRecord, cleaned: Mapping[str, Any]
    ) -> dict[str, Any]:
        return dict(cleaned)

    def after_write(self, session: Session, row: SyncedRecord, before: Mapping[str, Any]) -> None:
        return None

    def on_restore(self, session: Session, row: SyncedRecord) -> None:
        return None


@dataclass(frozen=True)
class ForumRules(NoRules):
    """The rules for writes of forums: a raised (or removed) capacity serves the waiting list."""

    def after_write(self, session: Session, row: SyncedRecord, before: Mapping[str, Any]) -> None:
        old, new = before.get("capacity"), getattr(row, "capacity", None)
        if old is not None and (new is None or new > old) and not row.deleted:
            promote(session, row.id)


WriteRules = RegistrationRules | NoRules


def rules_for(kind: str) -> WriteRules:
    if kind == "registrations":
        return RegistrationRules()
    if kind == "forums":
        return ForumRules()
    return NoRules()
