"""Capacity and waiting list, on a real store, through every path that writes registrations.

Before these rules a forum of capacity 2 took 5 registrations, all "registered", and nobody ever
reached a waiting list.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from relay_app.services import Services
from relay_app.services.errors import ValidationFailed
from relay_app.store.models import PendingChange
from relay_app.transfer.reading import SourceRow
from tests import factories


@pytest.fixture
def forum_id(services: Services) -> str:
    return services.records("forums").create(factories.forum(capacity=2)).id


def _register(services: Services, forum_id: str, name: str, **values: object) -> str:
    record = services.records("registrations").create(
        factories.registration(forum_id, first_name=name, email=f"{name.lower()}@example.org",
                               **values)
    )
    return record.id


def _statuses(services: Services, forum_id: str) -> dict[str, str]:
    return {
        person.first_name: person.status for person in services.check_ins.attendees(forum_id)
    }


def test_over_capacity_a_new_registration_waits_with_its_place(
    services: Services, forum_id: str
) -> None:
    ids = [_register(services, forum_id, name) for name in ("Awa", "Binta", "Coumba", "Demba", "Ebou")]
    assert _statuses(services, forum_id) == {
        "Awa": "registered", "Binta": "registered",
        "Coumba": "waitlisted", "Demba": "waitlisted", "Ebou": "waitlisted",
    }
    assert [services.check_ins.attendee(i).queue_place for i in ids] == [None, None, 1, 2, 3]
    counts = services.check_ins.counts(forum_id)
    assert (counts.capacity, counts.registered, counts.waitlisted) == (2, 2, 3)
    assert counts.over_capacity == 0 and counts.beyond_capacity == ()


def test_a_cancellation_promotes_the_oldest_waiting(services: Services, forum_id: str) -> None:
    awa, _binta, coumba, demba = (
        _register(services, forum_id, name) for name in ("Awa", "Binta", "Coumba", "Demba")
    )
    services.records("registrations").update(awa, {"status": "cancelled"})
    assert _statuses(services, forum_id)["Coumba"] == "registered"
    assert services.check_ins.attendee(demba).queue_place == 1
    assert services.check_ins.check_in(coumba).checked_in  # the promoted person gets in
    # The promotion is a change that syncs like any other.
    with services.database.read() as session:
        entry = session.scalars(
            select(PendingChange).where(PendingChange.record_id == coumba)
        ).one()
    assert "status" in entry.fields


def test_a_deletion_or_a_move_frees_the_place_too(services: Services, forum_id: str) -> None:
    awa, binta, _coumba, _demba = (
        _register(services, forum_id, name) for name in ("Awa", "Binta", "Coumba", "Demba")
    )
    services.records("registrations").delete(awa)
    assert _statuses(services, forum_id)["Coumba"] == "registered"
    other = services.records("forums").create(factories.forum(name="Forum andin")).id
    services.records("registrations").update(binta, {"forum_id": other})
    assert _statuses(services, forum_id)["Demba"] == "registered"


def test_a_raised_capacity_promotes_as_many_as_it_frees(services: Services, forum_id: str) -> None:
    for name in ("Awa", "Binta", "Coumba", "Demba", "Ebou"):
        _register(services, forum_id, name)
    services.records("forums").update(forum_id, {"capacity": 4})
    assert _statuses(services, forum_id) == {
        "Awa": "registered", "Binta": "registered", "Coumba": "registered",
        "Demba": "registered", "Ebou": "waitlisted",
    }
    services.records("forums").update(forum_id, {"capacity": None})  # no limit any more
    assert _statuses(services, forum_id)["Ebou"] == "registered"


def test_taking_a_place_in_a_full_forum_is_refused(services: Services, forum_id: str) -> None:
    for name in ("Awa", "Binta"):
        _register(services, forum_id, name)
    coumba = _register(services, forum_id, "Coumba")
    with pytest.raises(ValidationFailed, match=r"The forum is full \(2 of 2 places taken\)"):
        services.records("registrations").update(coumba, {"status": "registered"})
    assert services.check_ins.attendee(coumba).status == "waitlisted"
    # A person put on the waiting list by hand, or cancelled, stays so.
    cancelled = _register(services, forum_id, "Demba", status="cancelled")
    assert services.check_ins.attendee(cancelled).status == "cancelled"


def test_an_undone_delete_waits_if_its_place_was_given_away(
    services: Services, forum_id: str
) -> None:
    awa = _register(services, forum_id, "Awa")
    _register(services, forum_id, "Binta")
    _register(services, forum_id, "Coumba")
    services.records("registrations").delete(awa)
    services.records("registrations").restore(awa)
    assert _statuses(services, forum_id) == {
        "Awa": "waitlisted", "Binta": "registered", "Coumba": "registered",
    }
    assert services.check_ins.counts(forum_id).registered == 2


def test_an_import_fills_the_places_then_the_waiting_list(
    services: Services, forum_id: str
) -> None:
    rows = [
        SourceRow(number, factories.registration(forum_id, first_name=name))
        for number, name in enumerate(("Awa", "Binta", "Coumba", "Demba"), start=2)
    ]
    report = services.import_rows("registrations", rows)
    assert report.ok and report.created == 4
    assert _statuses(services, forum_id) == {
        "Awa": "registered", "Binta": "registered", "Coumba": "waitlisted", "Demba": "waitlisted",
    }


def test_asking_for_registered_explicitly_still_waits(services: Services, forum_id: str) -> None:
    for name in ("Awa", "Binta"):
        _register(services, forum_id, name)
    record = services.records("registrations").create(
        {**factories.registration(forum_id, first_name="Coumba"), "status": "registered"}
    )
    assert record.values["status"] == "waitlisted"
    assert record.values["registered_at"] is not None
