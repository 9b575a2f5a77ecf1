"""The forum check-in desk: find a participant, check them in (or undo it), count, export.

A check-in is a scan appended to the check-in log (kind ``checkins``, synced on its own): never an
edit of the registration, so two desks that admit people offline never make a conflict. Whether a
person is in, and the head-counts, are derived from the log (``checkin_log.presence``); the same
person admitted at two desks counts once and the second entry is shown for a person to look at.
An undo is a cancelling scan. The registration's old ``checked_in_at``/``checked_in_by`` fields
are kept for apps speaking older protocols, but the desk no longer writes them.
"""

from __future__ import annotations

import os
import platform
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay_app.codelists import sort_key
from relay_app.forms import CHECKIN_KIND, form_for
from relay_app.i18n import _
from relay_app.services.checkin_log import CANCEL, ENTRY, EXIT, DoubleEntry, Presence, Scan, presence
from relay_app.services.duplicates import merged_pointers
from relay_app.services.errors import NotFound, ServiceError, ValidationFailed
from relay_app.services.outbox import device_identity, record_change
from relay_app.services.records import RecordService, RecordView
from relay_app.services.waiting_list import (
    CANCELLED,
    REGISTERED,
    WAITLISTED,
    promote,
    queue_order,
    waiting,
)
from relay_app.store.database import Database
from relay_app.store.models import CheckIn, Registration
from relay_app.store.types import utc_now
from relay_app.sync.state import LAST_SUCCESS, RELAY_NAME, read_state
from relay_app.transfer import FileFormat, write_table

__all__ = [
    "CANCELLED", "REGISTERED", "WAITLISTED", "AttendanceCounts", "Attendee", "CheckInRefused",
    "CheckInService", "ForumChoice", "desk_name",
]

CHECKINS = CHECKIN_KIND
DESK_NAME_LENGTH = 100  # the form's limit for a scan's ``device_name``
# A desk that has not synced for this long scans "offline": its view of other desks may be old.
ONLINE_WITHIN = timedelta(minutes=10)


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
    """One registration as the desk shows it, its check-in state derived from the log."""

    id: str
    forum_id: str
    first_name: str
    last_name: str
    organisation: str
    email: str
    status: str
    checked_in_at: datetime | None  # the arrival that makes the person "in", else None
    checked_in_by: str  # the desk of that arrival
    name: str
    double_entries: tuple[DoubleEntry, ...] = ()
    queue_place: int | None = None  # 1 for the first person on the waiting list

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None

    @property
    def admitted_unregistered(self) -> bool:
        """Let in while cancelled or waiting (a desk that had not heard of it yet)."""
        return self.checked_in and self.status != REGISTERED


@dataclass(frozen=True)
class AttendanceCounts:
    """People, not scans: each registration counts once whatever it was scanned."""

    registered: int  # expected: status "registered" (cancelled and waitlisted left out)
    checked_in: int  # registered people who are in
    waitlisted: int
    cancelled: int
    capacity: int | None
    # Registered beyond capacity (two desks gave the same place away), latest registered first.
    beyond_capacity: tuple[str, ...] = ()

    @property
    def over_capacity(self) -> int:
        return 0 if self.capacity is None else max(0, self.registered - self.capacity)

    @property
    def places_to_give(self) -> int:
        """Free places someone is waiting for: left when the cancellation that freed them was made
        on a desk that did not know of the people waiting (they came in by a sync)."""
        if self.capacity is None:
            return 0
        return min(max(0, self.capacity - self.registered), self.waitlisted)

    def to_json(self) -> dict[str, Any]:
        return {
            "capacity": self.capacity,
            "registered": self.registered,
            "waitlisted": self.waitlisted,
            "cancelled": self.cancelled,
            "checked_in": self.checked_in,
            "over_capacity": self.over_capacity,
            "places_to_give": self.places_to_give,
        }


def _text(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value)


def scan_of(row: CheckIn) -> Scan:
    return Scan(
        id=row.id,
        registration_id=row.registration_id,
        device_id=row.device_id,
        device_name=row.device_name or "",
        scanned_at=row.scanned_at,
        direction=row.direction,
        cancels=row.cancels,
        offline=bool(row.offline),
    )


def attendee_of(
    record: RecordView, state: Presence | None = None, queue_place: int | None = None
) -> Attendee:
    values = record.values
    arrival = state.arrival if state is not None else None
    return Attendee(
        id=record.id,
        forum_id=_text(values, "forum_id"),
        first_name=_text(values, "first_name"),
        last_name=_text(values, "last_name"),
        organisation=_text(values, "organisation"),
        email=_text(values, "email"),
        # A registration stored without a status is registered: that is the form's default.
        status=values.get("status") or REGISTERED,
        checked_in_at=arrival.scanned_at if arrival is not None else None,
        checked_in_by=arrival.device_name if arrival is not None else "",
        name=record.summary,
        double_entries=state.double_entries if state is not None else (),
        queue_place=queue_place,
    )


def desk_name(database: Database) -> str:
    """Who checks people in on this device: the enrolled relay's name, else the device's name."""
    with database.read() as session:
        relay = read_state(session, RELAY_NAME)
    name = (relay or platform.node()).strip()
    return name[:DESK_NAME_LENGTH]


def recently_synced(session: Session, now: datetime) -> bool:
    value = read_state(session, LAST_SUCCESS)
    if not value:
        return False
    try:
        last = datetime.fromisoformat(value)
    except ValueError:
        return False
    return timedelta(0) <= now - last <= ONLINE_WITHIN


class CheckInService:
    """The desk's operations over the registrations (and forums) of one data dir.

    ``desk`` names this desk in its scans (default: ``desk_name``); ``today`` is the day a
    multi-day forum counts its entries for.
    """

    def __init__(
        self,
        database: Database,
        registrations: RecordService,
        forums: RecordService,
        *,
        desk: str | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.database = database
        self.registrations = registrations
        self.forums_service = forums
        self.desk = desk
        self.today = today

    # -- reading ---------------------------------------------------------------------------------

    def forums(self, today: date | None = None) -> list[ForumChoice]:
        """Current and upcoming forums first (soonest first), then past ones (latest first)."""
        today = today or self.today()
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

    def attendees(
        self, forum_id: str, search: str | None = None, limit: int | None = None
    ) -> list[Attendee]:
        """The forum's registrations, by last then first name; ``search`` matches the start of
        any word of the name, organisation, email or phone, accents and case ignored. With
        ``limit``, only the best ``limit`` matches of the search are read (then sorted by name)."""
        records = self.registrations.list(
            search=search or None, filters={"forum_id": forum_id}, limit=limit if search else None
        )
        found = self._attendees(forum_id, records)
        found.sort(key=lambda person: (sort_key(person.last_name), sort_key(person.first_name)))
        return found

    def attendee(self, registration_id: str) -> Attendee:
        record = self._registration(registration_id)
        return self._attendees(_text(record.values, "forum_id"), [record])[0]

    def scans(self, registration_id: str) -> list[Scan]:
        """Every scan of the registration, in time order (cancelled and cancelling ones too)."""
        with self.database.read() as session:
            rows = [row for _kept, row in self._scan_rows(session, [registration_id])]
        return sorted((scan_of(row) for row in rows), key=lambda scan: (scan.scanned_at, scan.id))

    def counts(self, forum_id: str) -> AttendanceCounts:
        """The head-count against capacity. It runs after every check-in at the desk, so it reads
        two columns and the log, never whole records (5,000 registrations: about 10 ms)."""
        capacity = self._capacity(forum_id)
        with self.database.read() as session:
            statuses = {
                registration_id: status or REGISTERED  # no status stored: the form's default
                for registration_id, status in session.execute(
                    select(Registration.id, Registration.status).where(
                        Registration.forum_id == forum_id, Registration.deleted.is_(False)
                    )
                )
            }
            registered = [key for key, status in statuses.items() if status == REGISTERED]
            scans: dict[str, list[Scan]] = defaultdict(list)
            # A deleted registration's scans count for nobody, unless it was merged into a live
            # one: then they count for the one kept.
            kept_of = merged_pointers(session)
            forum_scans = (
                select(CheckIn)
                .join(Registration, Registration.id == CheckIn.registration_id)
                .where(Registration.forum_id == forum_id, CheckIn.deleted.is_(False))
            )
            for row in session.scalars(forum_scans):
                owner = kept_of.get(row.registration_id, row.registration_id)
                if statuses.get(owner) == REGISTERED:
                    scans[owner].append(scan_of(row))
        day = self._day(forum_id)
        beyond: tuple[str, ...] = ()
        if capacity is not None and len(registered) > capacity:
            with self.database.read() as session:
                rows = session.scalars(
                    select(Registration).where(Registration.id.in_(registered))
                ).all()
                latest = sorted(rows, key=queue_order, reverse=True)[: len(registered) - capacity]
                beyond = tuple(self.registrations.view(row).summary for row in latest)
        statuses_seen = list(statuses.values())
        return AttendanceCounts(
            registered=len(registered),
            checked_in=sum(presence(found, day).arrival is not None for found in scans.values()),
            waitlisted=statuses_seen.count(WAITLISTED),
            cancelled=statuses_seen.count(CANCELLED),
            capacity=capacity,
            beyond_capacity=beyond,
        )

    def is_multi_day(self, forum_id: str) -> bool:
        try:
            values = self.forums_service.get(forum_id).values
        except NotFound:
            return False
        start, end = values.get("start_date"), values.get("end_date")
        return start is not None and end is not None and end > start

    # -- writing ---------------------------------------------------------------------------------

    def give_free_places(self, forum_id: str) -> list[Attendee]:
        """Give the forum's free places to the people waiting, first in line first; those promoted.

        Never done by a sync on its own: two desks that both pulled would both promote. A person
        asks for it when the desk shows places free while people wait.
        """
        with self.database.write() as session:
            promoted = promote(session, forum_id)
        return [self.attendee(registration_id) for registration_id in promoted]

    def check_in(self, registration_id: str, by: str | None = None) -> Attendee:
        """Admit the participant now: an entry scan, unless they are in already (then nothing is
        written and the first arrival stands). ``by`` names the desk (default: this desk's)."""
        person = self.attendee(registration_id)
        if person.status == CANCELLED:
            message = _("{name}'s registration was cancelled: register them again first.")
            raise CheckInRefused(registration_id, message.format(name=person.name))
        if person.status == WAITLISTED:
            message = _(
                "{name} is on the waiting list (place {place}): confirm the registration to "
                "check them in."
            )
            raise CheckInRefused(
                registration_id, message.format(name=person.name, place=person.queue_place or "?")
            )
        if person.checked_in:
            return person
        (entry,) = self._write_scans([(registration_id, ENTRY, None)], by)
        # The person was not in, so the entry just written is their arrival: no second read.
        return replace(person, checked_in_at=entry.scanned_at, checked_in_by=entry.device_name)

    def undo_check_in(self, registration_id: str) -> Attendee:
        """Cancel the entries that make the person "in" (cancelling scans); nothing is written
        when they are not in."""
        state = self._presence(registration_id)
        if state.open_entries:
            self._write_scans(
                [(registration_id, CANCEL, entry.id) for entry in state.open_entries], None
            )
        return self.attendee(registration_id)

    def check_out(self, registration_id: str, by: str | None = None) -> Attendee:
        """The participant leaves: an exit scan (nothing when they are not in)."""
        if self._presence(registration_id).inside:
            self._write_scans([(registration_id, EXIT, None)], by)
        return self.attendee(registration_id)

    # -- export ----------------------------------------------------------------------------------

    def attendance_table(self, forum_id: str) -> tuple[list[str], list[dict[str, Any]]]:
        """The forum's registrations as export rows: the registration columns, with the check-in
        columns as the log says."""
        fields = ["id", *self.registrations.form.field_names()]
        records = self.registrations.list(filters={"forum_id": forum_id})
        people = {person.id: person for person in self._attendees(forum_id, records)}
        records.sort(
            key=lambda record: (
                sort_key(_text(record.values, "last_name")),
                sort_key(_text(record.values, "first_name")),
            )
        )
        rows = []
        for record in records:
            row = record.to_json()
            person = people[record.id]
            arrived = person.checked_in_at
            row["checked_in_at"] = arrived.isoformat() if arrived is not None else None
            row["checked_in_by"] = person.checked_in_by or None
            rows.append(row)
        return fields, rows

    def export_attendance(self, forum_id: str, path: str | os.PathLike[str]) -> int:
        """Write the attendance of ``forum_id`` as CSV or XLSX (by extension); returns the rows."""
        fields, rows = self.attendance_table(forum_id)
        return write_table(path, FileFormat.from_path(path), fields, rows)

    # -- internals -------------------------------------------------------------------------------

    def _registration(self, registration_id: str) -> RecordView:
        try:
            return self.registrations.get(registration_id)
        except NotFound:
            raise CheckInRefused(
                registration_id,
                _("No registration with id {id}: it may have been deleted.").format(
                    id=registration_id
                ),
            ) from None

    def _capacity(self, forum_id: str) -> int | None:
        try:
            return self.forums_service.get(forum_id).values.get("capacity")
        except NotFound:
            return None

    def _day(self, forum_id: str) -> date | None:
        return self.today() if self.is_multi_day(forum_id) else None

    def _presence(self, registration_id: str) -> Presence:
        record = self._registration(registration_id)
        day = self._day(_text(record.values, "forum_id"))
        return presence(self.scans(registration_id), day)

    def _attendees(self, forum_id: str, records: list[RecordView]) -> list[Attendee]:
        ids = [record.id for record in records]
        day = self._day(forum_id) if forum_id else None
        by_registration: dict[str, list[Scan]] = defaultdict(list)
        with self.database.read() as session:
            for kept, row in self._scan_rows(session, ids):
                by_registration[kept].append(scan_of(row))
            places = {row.id: place for place, row in enumerate(waiting(session, forum_id), 1)}
        return [
            attendee_of(record, presence(by_registration.get(record.id, ()), day),
                        places.get(record.id))
            for record in records
        ]

    @staticmethod
    def _scan_rows(session: Session, registration_ids: Iterable[str]) -> list[tuple[str, CheckIn]]:
        """The scans of ``registration_ids``, each with the registration it counts for: a scan of a
        registration merged into one of them counts for the one kept (the log is never rewritten,
        so a merge keeps every check-in of both)."""
        wanted = list(dict.fromkeys(registration_ids))
        kept_of = {away: kept for away, kept in merged_pointers(session).items() if kept in set(wanted)}
        asked = [*wanted, *kept_of]
        rows: list[tuple[str, CheckIn]] = []
        for start in range(0, len(asked), 500):
            chunk = asked[start : start + 500]
            rows.extend(
                (kept_of.get(row.registration_id, row.registration_id), row)
                for row in session.scalars(
                    select(CheckIn).where(CheckIn.registration_id.in_(chunk), CheckIn.deleted.is_(False))
                )
            )
        return rows

    def _write_scans(self, scans: list[tuple[str, str, str | None]], by: str | None) -> list[Scan]:
        """Append (registration, direction, cancelled scan) rows, each with its outbox entry."""
        name = (desk_name(self.database) if by is None and self.desk is None
                else (by if by is not None else self.desk or ""))
        form = form_for(CHECKINS)
        written: list[Scan] = []
        with self.database.write() as session:
            now = utc_now()
            device = device_identity(session).device_id
            offline = not recently_synced(session, now)
            for registration_id, direction, cancels in scans:
                result = form.validate({
                    "registration_id": registration_id,
                    "device_id": device,
                    "device_name": name.strip()[:DESK_NAME_LENGTH] or None,
                    "scanned_at": now,
                    "direction": direction,
                    "cancels": cancels,
                    "offline": offline,
                })
                if result.errors:
                    raise ValidationFailed(result.errors)
                values = result.cleaned
                filled = sorted(key for key, value in values.items() if value not in (None, ""))
                row = CheckIn(
                    id=str(uuid.uuid4()),  # the scan's idempotency key
                    created_at=now,
                    updated_at=now,
                    deleted=False,
                    origin_device=device,
                    base_version=None,
                    dirty_fields=filled,
                    **values,
                )
                session.add(row)
                record_change(session, CHECKINS, row.id, "upsert", filled, new_record=True)
                written.append(scan_of(row))
        return written
