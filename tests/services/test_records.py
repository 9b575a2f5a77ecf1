"""Record services: every write validated and paired with exactly one coalesced outbox entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from relay_app.services import Services
from relay_app.services.errors import NotFound, UnknownKind, ValidationFailed
from relay_app.store.models import PendingChange, Registration
from tests import factories


def _outbox(services: Services) -> list[PendingChange]:
    with services.database.read() as session:
        return list(session.scalars(select(PendingChange).order_by(PendingChange.seq)))


def _values_for(services: Services, kind: str) -> dict:
    if kind == "registrations":
        forum = services.records("forums").create(factories.forum())
        return factories.registration(forum.id)
    return getattr(factories, kind[:-1])()


@pytest.mark.parametrize("kind", ["partners", "practices", "forums", "registrations"])
def test_round_trip_create_get_update_delete(services: Services, kind: str) -> None:
    values = _values_for(services, kind)
    records = services.records(kind)
    created = records.create(values)
    fetched = records.get(created.id)
    assert fetched.values == created.values
    assert fetched.to_json()["id"] == created.id
    for name, value in values.items():
        if name not in ("start_date", "end_date"):
            assert fetched.to_json()[name] == value, name

    text_field = {"partners": "city", "practices": "summary", "forums": "venue",
                  "registrations": "organisation"}[kind]
    untouched = {k: v for k, v in fetched.values.items() if k != text_field}
    updated = records.update(created.id, {text_field: "Changed"})
    assert updated.values[text_field] == "Changed"
    assert {k: v for k, v in updated.values.items() if k != text_field} == untouched
    assert text_field in updated.dirty_fields

    records.delete(created.id)
    with pytest.raises(NotFound):
        records.get(created.id)
    assert created.id not in [record.id for record in records.list()]
    assert records.get(created.id, include_deleted=True).deleted
    restored = records.restore(created.id)
    assert restored.values[text_field] == "Changed"
    assert created.id in [record.id for record in records.list()]


def test_invalid_record_is_refused_and_nothing_written(services: Services) -> None:
    with pytest.raises(ValidationFailed) as failure:
        services.records("partners").create(factories.partner(email="not-an-email", latitude=123))
    codes = {(error.field, error.code) for error in failure.value.errors}
    assert ("email", "invalid_email") in codes
    assert ("latitude", "out_of_range") in codes
    assert services.records("partners").count() == 0
    assert _outbox(services) == []


def test_reference_to_missing_record_is_refused(services: Services) -> None:
    missing = "4b0a6f0e-0000-4000-8000-000000000000"
    with pytest.raises(ValidationFailed) as failure:
        services.records("registrations").create(factories.registration(missing))
    assert [(e.field, e.code) for e in failure.value.errors] == [("forum_id", "invalid_reference")]
    with pytest.raises(ValidationFailed):
        services.records("practices").create(factories.practice(partner_id=missing))


def test_several_edits_leave_exactly_one_pending_entry_per_record(services: Services) -> None:
    partners = services.records("partners")
    first = partners.create(factories.partner(name="First"))
    second = partners.create(factories.partner(name="Second"))
    for city in ("Thiès", "Saint-Louis", "Kaolack"):
        partners.update(first.id, {"city": city})
    partners.update(first.id, {"email": "new@example.org"})
    partners.update(second.id, {"city": "Ziguinchor"})
    partners.delete(second.id)

    entries = _outbox(services)
    assert sorted(entry.record_id for entry in entries) == sorted([first.id, second.id])
    by_record = {entry.record_id: entry for entry in entries}
    assert by_record[first.id].op == "upsert"
    assert {"city", "email", "name"} <= set(by_record[first.id].fields)
    assert by_record[second.id].op == "delete"
    # Each coalescing write took a fresh, increasing sequence number.
    assert by_record[second.id].seq > by_record[first.id].seq
    assert by_record[first.id].seq == 6
    assert services.status().pending_changes == 2


def test_update_that_changes_nothing_adds_no_change(services: Services) -> None:
    partners = services.records("partners")
    created = partners.create(factories.partner())
    before = _outbox(services)[0].seq
    partners.update(created.id, {"city": "Dakar"})
    assert _outbox(services)[0].seq == before


def test_update_of_unknown_record_and_unknown_kind(services: Services) -> None:
    with pytest.raises(NotFound):
        services.records("partners").update("0d5f7a2e-1111-4222-8333-444455556666", {"city": "x"})
    with pytest.raises(UnknownKind):
        services.records("elephants")


def test_create_keeps_a_given_uuid_and_refuses_duplicates(services: Services) -> None:
    record_id = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
    created = services.records("partners").create({**factories.partner(), "id": record_id})
    assert created.id == record_id
    with pytest.raises(ValidationFailed) as failure:
        services.records("partners").create({**factories.partner(), "id": record_id})
    assert failure.value.errors[0].code == "duplicate_id"


def test_filters_and_ordering(services: Services) -> None:
    partners = services.records("partners")
    partners.create(factories.partner(name="Beta", country="FR", college="private_companies"))
    partners.create(factories.partner(name="Alpha", country="SN"))
    partners.create(factories.partner(name="Gamma", country="FR"))
    french = partners.list(filters={"country": "FR"}, order_by="name")
    assert [record.values["name"] for record in french] == ["Beta", "Gamma"]
    assert partners.count(filters={"country": ["FR", "SN"]}) == 3
    assert [r.values["name"] for r in partners.list(order_by="name", descending=True, limit=2)] == [
        "Gamma", "Beta"]
    assert partners.count(filters={"college": "private_companies"}) == 1
    with pytest.raises(ValueError):
        partners.list(filters={"no_such_field": 1})


def test_registration_stores_typed_values(services: Services) -> None:
    forum = services.records("forums").create(factories.forum())
    created = services.records("registrations").create(
        factories.registration(forum.id, checked_in_at="2026-03-10T08:15:00+01:00", travel_support="yes")
    )
    with services.database.read() as session:
        row = session.scalars(select(Registration)).one()
        assert row.travel_support is True
        assert row.checked_in_at is not None and row.checked_in_at.utcoffset().total_seconds() == 0
        assert row.checked_in_at.hour == 7
    assert created.to_json()["checked_in_at"].startswith("2026-03-10T07:15:00")


EDITS = {  # kind: (first edit, second edit, a word only the second edit brings)
    "partners": (
        {"city": "Kaolack", "acronym": "CDE"}, {"name": "Coopérative Zébu", "languages": ["fr", "en"]}, "Zébu"
    ),
    "practices": ({"tutorial_steps": ["Semer"], "area_ha": 7.5}, {"title": "Pratique Zaï", "area_ha": 8.0},
                  "Zaï"),
    "forums": ({"end_date": date(2026, 3, 14), "capacity": 90}, {"name": "Forum de Kaolack"}, "Kaolack"),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_apply_many_writes_what_apply_writes_with_the_outbox_in_bulk(services: Services, kind: str) -> None:
    """Two equal records, one edited by ``apply``, the other by ``apply_many`` (twice, as an
    import with two rows for one record does): same values once read back (lists, dates,
    numbers), same dirty fields and outbox entries."""
    from relay_app.services.outbox import reserve_seqs

    records = services.records(kind)
    values = _values_for(services, kind)
    one, other = records.create(values), records.create(values)
    with services.database.write() as session:
        session.execute(PendingChange.__table__.delete())  # as after a sync
    first_edit, second_edit, word = EDITS[kind]
    edits = [{**one.values, **first_edit}, {**one.values, **first_edit, **second_edit}]
    with services.database.write() as session:
        rows = {row.id: row for row in session.scalars(select(records.model))}
        one_by_one = [records.apply(session, rows[one.id], edit) for edit in edits]
        many = records.apply_many(
            session, [(rows[other.id], edit) for edit in edits], reserve_seqs(session, 2)
        )
    assert many == one_by_one and many[0] and many[1]
    a, b = records.get(one.id), records.get(other.id)
    assert (a.values, a.dirty_fields) == (b.values, b.dirty_fields)
    assert all(b.values[name] == value for name, value in {**first_edit, **second_edit}.items())
    entries = {entry.record_id: entry for entry in _outbox(services)}
    assert (entries[one.id].op, entries[one.id].fields) == (entries[other.id].op, entries[other.id].fields)
    assert {view.id for view in records.list(search=word)} == {one.id, other.id}  # the index followed
