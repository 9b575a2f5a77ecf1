"""The check-in desk's service on a real store: the scan log, undo, refusals, outbox, counts, search."""

from __future__ import annotations

import csv
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from relay_app.services import Services
from relay_app.services.checkin import CheckInRefused, desk_name
from relay_app.store.models import PendingChange
from relay_app.sync.apply import apply_page
from relay_app.sync.state import RELAY_NAME, write_state
from relay_app.sync.wire import PullItem, PullResponse
from tests import factories


def _outbox(services: Services) -> dict[str, PendingChange]:
    with services.database.read() as session:
        return {entry.record_id: entry for entry in session.scalars(select(PendingChange))}


def _forget_outbox(services: Services) -> None:
    """As after a sync: the records are on the server and nothing waits."""
    with services.database.write() as session:
        for entry in session.scalars(select(PendingChange)):
            session.delete(entry)


@pytest.fixture
def forum_id(services: Services) -> str:
    return services.records("forums").create(factories.forum()).id


def _register(services: Services, forum_id: str, **values: object) -> str:
    return services.records("registrations").create(factories.registration(forum_id, **values)).id


def _scans(services: Services, registration_id: str) -> list[tuple[str, str | None]]:
    return [(scan.direction, scan.cancels) for scan in services.check_ins.scans(registration_id)]


def _pulled_scan(services: Services, registration_id: str, desk: str, at: datetime) -> str:
    """A scan made at another desk, written as a sync pull writes it."""
    scan_id = str(uuid.uuid4())
    values = {
        "registration_id": registration_id, "device_id": str(uuid.uuid4()), "device_name": desk,
        "scanned_at": at.isoformat(), "direction": "entry", "cancels": None, "offline": True,
    }
    page = PullResponse(
        items=[PullItem(kind="checkins", id=scan_id, version=1, deleted=False, values=values,
                        change_seq=1)],
        next_cursor="c", has_more=False,
    )
    apply_page(services.database, page, snapshot=False)
    return scan_id


def test_check_in_appends_a_scan_and_leaves_the_registration_alone(
    services: Services, forum_id: str
) -> None:
    """Tried: check in a synced registration; the registration must not change (no edit that
    could meet another desk's edit), the log gets one entry scan with this device's id."""
    awa = _register(services, forum_id)
    _forget_outbox(services)
    before = datetime.now(UTC)
    person = services.check_ins.check_in(awa, by="Relais Afrique de l'Ouest")
    assert person.checked_in
    assert person.checked_in_at is not None and before <= person.checked_in_at <= datetime.now(UTC)
    assert person.checked_in_by == "Relais Afrique de l'Ouest"
    stored = services.records("registrations").get(awa).values
    assert stored["checked_in_at"] is None and stored["checked_in_by"] is None
    (scan,) = services.check_ins.scans(awa)
    assert (scan.direction, scan.device_id, scan.device_name) == (
        "entry", services.device_id, "Relais Afrique de l'Ouest"
    )
    assert scan.offline  # this desk never synced
    outbox = _outbox(services)
    assert awa not in outbox
    entry = outbox[scan.id]
    assert (entry.kind, entry.op) == ("checkins", "upsert")
    assert {"registration_id", "device_id", "scanned_at", "direction"} <= set(entry.fields)


def test_a_second_check_in_keeps_the_first_arrival(services: Services, forum_id: str) -> None:
    awa = _register(services, forum_id)
    first = services.check_ins.check_in(awa, by="Desk 1")
    again = services.check_ins.check_in(awa, by="Desk 2")
    assert again.checked_in_at == first.checked_in_at
    assert again.checked_in_by == "Desk 1"
    assert _scans(services, awa) == [("entry", None)]


def test_undo_is_a_cancelling_scan_not_an_edit(services: Services, forum_id: str) -> None:
    awa = _register(services, forum_id)
    person = services.check_ins.check_in(awa, by="Desk 1")
    (entry,) = services.check_ins.scans(awa)
    _forget_outbox(services)
    person = services.check_ins.undo_check_in(awa)
    assert not person.checked_in and person.checked_in_by == ""
    assert _scans(services, awa) == [("entry", None), ("cancel", entry.id)]
    assert [e.kind for e in _outbox(services).values()] == ["checkins"]
    again = services.check_ins.check_in(awa, by="Desk 1")  # admitted again after the undo
    assert again.checked_in and len(services.check_ins.scans(awa)) == 3


def test_an_exit_ends_the_stay(services: Services, forum_id: str) -> None:
    awa = _register(services, forum_id)
    services.check_ins.check_in(awa, by="Desk 1")
    assert not services.check_ins.check_out(awa).checked_in
    assert services.check_ins.counts(forum_id).checked_in == 0
    assert services.check_ins.check_in(awa).checked_in  # back in: no double entry
    assert services.check_ins.attendee(awa).double_entries == ()


def test_undo_of_someone_not_checked_in_writes_nothing(services: Services, forum_id: str) -> None:
    awa = _register(services, forum_id)
    _forget_outbox(services)
    services.check_ins.undo_check_in(awa)
    services.check_ins.check_out(awa)
    assert _outbox(services) == {}


def test_cancelled_and_waitlisted_are_refused_with_a_message(
    services: Services, forum_id: str
) -> None:
    cancelled = _register(
        services, forum_id, first_name="Jean", last_name="Diouf", status="cancelled"
    )
    waiting = _register(
        services, forum_id, first_name="Fatou", last_name="Sarr", status="waitlisted"
    )
    _forget_outbox(services)
    with pytest.raises(CheckInRefused, match="Jean Diouf's registration was cancelled"):
        services.check_ins.check_in(cancelled, by="Desk")
    with pytest.raises(CheckInRefused, match=r"Fatou Sarr is on the waiting list \(place 1\)"):
        services.check_ins.check_in(waiting, by="Desk")
    assert services.check_ins.scans(cancelled) == []
    assert _outbox(services) == {}


def test_unknown_or_deleted_registration_is_refused(services: Services, forum_id: str) -> None:
    with pytest.raises(CheckInRefused, match="No registration with id nobody"):
        services.check_ins.check_in("nobody", by="Desk")
    awa = _register(services, forum_id)
    services.records("registrations").delete(awa)
    with pytest.raises(CheckInRefused, match="No registration"):
        services.check_ins.undo_check_in(awa)


def test_counts_leave_out_cancelled_and_waitlisted(services: Services, forum_id: str) -> None:
    ids = [_register(services, forum_id, first_name=name) for name in ("Awa", "Binta", "Coumba")]
    _register(services, forum_id, first_name="Demba", status="cancelled")
    _register(services, forum_id, first_name="Elhadj", status="waitlisted")
    other_forum = services.records("forums").create(factories.forum(name="Forum andin")).id
    _register(services, other_forum, first_name="Rosa")
    services.check_ins.check_in(ids[0], by="Desk")
    services.check_ins.check_in(ids[2], by="Desk")
    counts = services.check_ins.counts(forum_id)
    assert (counts.registered, counts.checked_in) == (3, 2)
    assert (counts.waitlisted, counts.cancelled, counts.capacity) == (1, 1, 150)
    services.check_ins.undo_check_in(ids[2])
    assert services.check_ins.counts(forum_id).checked_in == 1
    assert services.check_ins.counts(other_forum).registered == 1


def test_one_person_admitted_at_two_desks_counts_once_and_is_flagged(
    services: Services, forum_id: str
) -> None:
    """Tried: admit Awa here, then receive (as a pull) the entry another laptop made for her a
    minute later; she counts once, both scans are kept, the later one is flagged."""
    awa = _register(services, forum_id)
    here = services.check_ins.check_in(awa, by="Laptop A")
    assert here.checked_in_at is not None
    other = _pulled_scan(services, awa, "Laptop B", here.checked_in_at + timedelta(minutes=1))
    person = services.check_ins.attendee(awa)
    assert person.checked_in_at == here.checked_in_at and person.checked_in_by == "Laptop A"
    (double,) = person.double_entries
    assert (double.repeat.id, double.repeat.device_name) == (other, "Laptop B")
    assert services.check_ins.counts(forum_id).checked_in == 1
    assert len(services.check_ins.scans(awa)) == 2
    # An undo cancels both entries: she is out everywhere once the cancels sync.
    assert not services.check_ins.undo_check_in(awa).checked_in
    assert [d for d, _c in _scans(services, awa)].count("cancel") == 2


def test_a_forum_of_several_days_admits_once_a_day(services: Services, forum_id: str) -> None:
    """The factory's forum lasts three days: yesterday's entry does not make Awa in today, and
    today's entry is no double entry."""
    awa = _register(services, forum_id)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    _pulled_scan(services, awa, "Laptop B", yesterday)
    assert not services.check_ins.attendee(awa).checked_in
    person = services.check_ins.check_in(awa, by="Laptop A")
    assert person.checked_in and person.double_entries == ()
    assert len(services.check_ins.scans(awa)) == 2
    one_day = services.records("forums").create(
        factories.forum(name="Journée", start_date="2026-03-10", end_date="2026-03-10")
    ).id
    binta = _register(services, one_day, first_name="Binta")
    _pulled_scan(services, binta, "Laptop B", yesterday)
    assert services.check_ins.attendee(binta).checked_in  # one day: every entry counts


def test_search_ignores_accents_and_stays_in_the_forum(services: Services, forum_id: str) -> None:
    helene = _register(
        services, forum_id, first_name="Hélène", last_name="Dépré", email="h@example.org"
    )
    _register(
        services, forum_id, first_name="Moussa", last_name="Ba",
        organisation="Coopérative Éléphant",
    )
    other_forum = services.records("forums").create(factories.forum(name="Forum andin")).id
    _register(services, other_forum, first_name="Helena", last_name="Quispe")

    def names(text: str) -> list[str]:
        return [person.name for person in services.check_ins.attendees(forum_id, text)]

    assert names("hel") == ["Hélène Dépré"]
    assert names("HÉLÈNE depre") == ["Hélène Dépré"]
    assert names("elephant") == ["Moussa Ba"]  # organisation
    assert names("h@example") == ["Hélène Dépré"]  # email
    assert names("zzz") == []
    assert names("") == ["Moussa Ba", "Hélène Dépré"]  # by last name: Ba, Dépré
    assert services.check_ins.attendees(forum_id, "hel")[0].id == helene


def test_forums_current_and_upcoming_first(services: Services) -> None:
    today = date(2026, 6, 1)
    forums = services.records("forums")

    def make(name: str, start: date, days: int) -> None:
        forums.create(factories.forum(name=name, start_date=start.isoformat(),
                                      end_date=(start + timedelta(days=days)).isoformat()))

    make("Past, long ago", date(2025, 3, 1), 2)
    make("Next month", date(2026, 7, 1), 2)
    make("Running now", date(2026, 5, 31), 3)
    make("Last month", date(2026, 5, 1), 2)
    names = [forum.name for forum in services.check_ins.forums(today)]
    assert names == ["Running now", "Next month", "Last month", "Past, long ago"]


def test_desk_name_is_the_relay_then_the_device(services: Services) -> None:
    assert desk_name(services.database)  # the device's name where there is no enrolment
    with services.database.write() as session:
        write_state(session, RELAY_NAME, "Relais Amérique latine")
    assert desk_name(services.database) == "Relais Amérique latine"
    forum = services.records("forums").create(factories.forum()).id
    person = services.check_ins.check_in(_register(services, forum))
    assert person.checked_in_by == "Relais Amérique latine"


def test_export_writes_the_forum_with_its_check_in_state(
    services: Services, forum_id: str, tmp_path: Path
) -> None:
    awa = _register(services, forum_id)
    _register(services, forum_id, first_name="Binta", last_name="Sow")
    other_forum = services.records("forums").create(factories.forum(name="Forum andin")).id
    _register(services, other_forum, first_name="Rosa", last_name="Quispe")
    services.check_ins.check_in(awa, by="Desk 1")
    target = tmp_path / "attendance.csv"
    assert services.check_ins.export_attendance(forum_id, target) == 2
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_name = {row["last_name"]: row for row in rows}
    assert set(by_name) == {"Ndiaye", "Sow"}
    assert by_name["Ndiaye"]["checked_in_by"] == "Desk 1"
    arrived = datetime.fromisoformat(by_name["Ndiaye"]["checked_in_at"])
    assert abs(datetime.now(UTC) - arrived) < timedelta(minutes=5)
    assert by_name["Sow"]["checked_in_at"] == ""


def test_the_head_count_agrees_with_the_people_listed(services: Services, forum_id: str) -> None:
    """The head-count reads statuses and the forum's scans without loading the people; tried
    against what the list of attendees says: a person checked in then cancelled, one checked in
    then deleted, one who came only yesterday (the forum lasts three days), one in today, and an
    entry at another forum. Only today's registered arrival counts."""
    today = _register(services, forum_id, first_name="Awa")
    cancelled = _register(services, forum_id, first_name="Binta")
    deleted = _register(services, forum_id, first_name="Coumba")
    yesterday_only = _register(services, forum_id, first_name="Demba")
    other_forum = services.records("forums").create(factories.forum(name="Forum andin")).id
    elsewhere = _register(services, other_forum, first_name="Rosa")
    for person in (today, cancelled, deleted, elsewhere):
        services.check_ins.check_in(person, by="Desk")
    _pulled_scan(services, yesterday_only, "Laptop B", datetime.now(UTC) - timedelta(days=1))
    services.records("registrations").update(cancelled, {"status": "cancelled"})
    services.records("registrations").delete(deleted)

    counts = services.check_ins.counts(forum_id)
    listed = services.check_ins.attendees(forum_id)
    assert counts.checked_in == sum(person.checked_in and person.status == "registered" for person in listed)
    assert (counts.registered, counts.checked_in, counts.cancelled) == (2, 1, 1)
    assert services.check_ins.counts(other_forum).checked_in == 1
