"""The forum check-in desk: find a participant, check them in (or undo it), count, export.

Check-ins are ordinary edits of a registration made through ``RecordService.update``, so they are
validated by the registration form and reach the outbox like any other change.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from relay_app.codelists import sort_key
from relay_app.i18n import _
from relay_app.services.errors import NotFound, ServiceError
from relay_app.services.records import RecordService, RecordView
from relay_app.store.database import Database
from relay_app.store.types import utc_now
from relay_app.sync.state import RELAY_NAME, read_state
from relay_app.transfer import FileFormat, write_table

REGISTERED = "registered"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
CHECKED_IN_BY_LENGTH = 100  # the form's limit for ``checked_in_by``


class CheckInRefused(ServiceError):
    """A check-in (or its undo) that cannot be done; ``str(error)`` says why to the person."""

    def __init__(self, registration_id: str, message: str) -> None:
        self.registration_id = registration_id
        super().__init__(message)


@dataclass(frozen=True)
class ForumChoice:
    id: str
    name: str
    start_date: date | None
    end_date: date | None
    capacity: int | None


@dataclass(frozen=True)
class Attendee:
    """One registration as the desk shows it."""

    id: str
    forum_id: str
    first_name: str
    last_name: str
    organisation: str
    email: str
    status: str
    checked_in_at: datetime | None
    checked_in_by: str
    name: str

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None


@dataclass(frozen=True)
class AttendanceCounts:
    registered: int  # expected: status "registered" (cancelled and waitlisted left out)
    checked_in: int
    waitlisted: int
    cancelled: int
    capacity: int | None


def _text(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value)


def attendee_of(record: RecordView) -> Attendee:
    values = record.values
    return Attendee(
        id=record.id,
        forum_id=_text(values, "forum_id"),
        first_name=_text(values, "first_name"),
        last_name=_text(values, "last_name"),
        organisation=_text(values, "organisation"),
        email=_text(values, "email"),
        # A registration stored without a status is registered: that is the form's default.
        status=values.get("status") or REGISTERED,
        checked_in_at=values.get("checked_in_at"),
        checked_in_by=_text(values, "checked_in_by"),
        name=record.summary,
    )


def desk_name(database: Database) -> str:
    """Who checks people in on this device: the enrolled relay's name, else the device's name."""
    with database.read() as session:
        relay = read_state(session, RELAY_NAME)
    name = (relay or platform.node()).strip()
    return name[:CHECKED_IN_BY_LENGTH]


class CheckInService:
    """The desk's operations over the registrations (and forums) of one data dir."""

    def __init__(
        self, database: Database, registrations: RecordService, forums: RecordService
    ) -> None:
        self.database = database
        self.registrations = registrations
        self.forums_service = forums

    # -- reading ---------------------------------------------------------------------------------

    def forums(self, today: date | None = None) -> list[ForumChoice]:
        """Current and upcoming forums first (soonest first), then past ones (latest first)."""
        today = today or date.today()
        choices = [
            ForumChoice(
                id=record.id,
                name=record.summary,
                start_date=record.values.get("start_date"),
                end_date=record.values.get("end_date"),
                capacity=record.values.get("capacity"),
            )
            for record in self.forums_service.list()
        ]
        coming: list[ForumChoice] = []
        past: list[ForumChoice] = []
        for forum in choices:
            last_day = forum.end_date or forum.start_date or today
            (coming if last_day >= today else past).append(forum)
        coming.sort(key=lambda forum: (forum.start_date or today, sort_key(forum.name)))
        past.sort(key=lambda forum: (forum.start_date or date.min, forum.name), reverse=True)
        return coming + past

    def attendees(self, forum_id: str, search: str | None = None) -> list[Attendee]:
        """The forum's registrations, by last then first name; ``search`` matches the start of
        any word of the name, organisation, email or phone, accents and case ignored."""
        records = self.registrations.list(search=search or None, filters={"forum_id": forum_id})
        found = [attendee_of(record) for record in records]
        found.sort(key=lambda person: (sort_key(person.last_name), sort_key(person.first_name)))
        return found

    def attendee(self, registration_id: str) -> Attendee:
        try:
            return attendee_of(self.registrations.get(registration_id))
        except NotFound:
            raise CheckInRefused(
                registration_id,
                _("No registration with id {id}: it may have been deleted.").format(
                    id=registration_id
                ),
            ) from None

    def counts(self, forum_id: str) -> AttendanceCounts:
        people = self.attendees(forum_id)
        try:
            capacity = self.forums_service.get(forum_id).values.get("capacity")
        except NotFound:
            capacity = None
        return AttendanceCounts(
            registered=sum(person.status == REGISTERED for person in people),
            checked_in=sum(person.status == REGISTERED and person.checked_in for person in people),
            waitlisted=sum(person.status == WAITLISTED for person in people),
            cancelled=sum(person.status == CANCELLED for person in people),
            capacity=capacity,
        )

    # -- writing ---------------------------------------------------------------------------------

    def check_in(self, registration_id: str, by: str | None = None) -> Attendee:
        """Mark the participant as arrived now (UTC), by ``by`` (default: ``desk_name``)."""
        person = self.attendee(registration_id)
        if person.status == CANCELLED:
            message = _("{name}'s registration was cancelled: register them again first.")
            raise CheckInRefused(registration_id, message.format(name=person.name))
        if person.status == WAITLISTED:
            message = _("{name} is on the waiting list: confirm the registration to check them in.")
            raise CheckInRefused(registration_id, message.format(name=person.name))
        if person.checked_in:
            return person  # the first arrival time stands
        who = (desk_name(self.database) if by is None else by.strip())[:CHECKED_IN_BY_LENGTH]
        record = self.registrations.update(
            registration_id, {"checked_in_at": utc_now(), "checked_in_by": who or None}
        )
        return attendee_of(record)

    def undo_check_in(self, registration_id: str) -> Attendee:
        """Clear the check-in time and who made it; nothing is written if there was none."""
        person = self.attendee(registration_id)
        if not person.checked_in and not person.checked_in_by:
            return person
        record = self.registrations.update(
            registration_id, {"checked_in_at": None, "checked_in_by": None}
        )
        return attendee_of(record)

    # -- export ----------------------------------------------------------------------------------

    def attendance_table(self, forum_id: str) -> tuple[list[str], list[dict[str, Any]]]:
        """The forum's registrations as export rows: the registration columns, check-in included."""
        fields = ["id", *self.registrations.form.field_names()]
        records = self.registrations.list(filters={"forum_id": forum_id})
        records.sort(
            key=lambda record: (
                sort_key(_text(record.values, "last_name")),
                sort_key(_text(record.values, "first_name")),
            )
        )
        return fields, [record.to_json() for record in records]

    def export_attendance(self, forum_id: str, path: str | os.PathLike[str]) -> int:
        """Write the attendance of ``forum_id`` as CSV or XLSX (by extension); returns the rows."""
        fields, rows = self.attendance_table(forum_id)
        return write_table(path, FileFormat.from_path(path), fields, rows)
