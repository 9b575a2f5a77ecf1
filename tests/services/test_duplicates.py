"""Duplicate registrations on a real store: found by email, phone or a close name; merged whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from relay_app.services import Services
from relay_app.services.badges import badge_payload, registration_for_scan
from relay_app.services.duplicates import MergeRefused, merged_pointers, resolve_merged
from relay_app.store.models import PendingChange, Registration
from tests import factories


@pytest.fixture
def forum_id(services: Services) -> str:
    return services.records("forums").create(factories.forum()).id


def _register(services: Services, forum_id: str, **values: object) -> str:
    values.setdefault("email", None)
    return services.records("registrations").create(factories.registration(forum_id, **values)).id


def _groups(services: Services, forum_id: str) -> list[tuple[set[str], str]]:
    return [(set(group.ids), group.reason) for group in services.duplicates.duplicates(forum_id)]


def _outbox(services: Services) -> dict[str, PendingChange]:
    with services.database.read() as session:
        return {entry.record_id: entry for entry in session.scalars(select(PendingChange))}


def _synced(services: Services) -> None:
    """As after a push: the outbox is empty."""
    with services.database.write() as session:
        for entry in session.scalars(select(PendingChange)):
            session.delete(entry)


def test_same_email_in_another_case_is_one_person(services: Services, forum_id: str) -> None:
    """Tried: one email typed in two cases with spaces, under two different names."""
    first = _register(services, forum_id, first_name="Awa", last_name="Ndiaye", email="Awa@Example.org")
    second = _register(services, forum_id, first_name="A.", last_name="N.", email=" awa@example.ORG")
    _register(services, forum_id, first_name="Jean", last_name="Diouf", email="jean@example.org")
    assert _groups(services, forum_id) == [({first, second}, "email")]


def test_same_phone_written_differently_is_one_person(services: Services, forum_id: str) -> None:
    """Tried: an international and a national form of one number, and another number."""
    first = _register(services, forum_id, first_name="Moussa", last_name="Sow", phone="+221 77 123 45 67")
    second = _register(services, forum_id, first_name="Mousa", last_name="Ba", phone="77-123-45-67")
    _register(services, forum_id, first_name="Fatou", last_name="Fall", phone="+221 77 765 43 21")
    assert _groups(services, forum_id) == [({first, second}, "phone")]


def test_names_with_accents_case_and_order_folded(services: Services, forum_id: str) -> None:
    """Tried: "Hélène Dépré" against "DEPRE helene" (no email, no phone)."""
    first = _register(services, forum_id, first_name="Hélène", last_name="Dépré", organisation="INRAE")
    second = _register(services, forum_id, first_name="DEPRE", last_name="helene", organisation="")
    assert _groups(services, forum_id) == [({first, second}, "name")]


def test_a_typo_counts_only_within_the_same_organisation(services: Services, forum_id: str) -> None:
    """Tried: "Mamadou Ba" / "Mamadi Ba" (a score between the two thresholds) at one
    organisation written in two cases (one person), and at two organisations (two people)."""
    first = _register(services, forum_id, first_name="Mamadou", last_name="Ba", organisation="FONGS")
    second = _register(services, forum_id, first_name="Mamadi", last_name="Ba", organisation="fongs")
    _register(services, forum_id, first_name="Mamadou", last_name="Sy", organisation="CIRAD")
    _register(services, forum_id, first_name="Mamadi", last_name="Sy", organisation="ISRA")
    assert _groups(services, forum_id) == [({first, second}, "name")]


def test_other_forums_and_different_people_are_not_suggested(services: Services, forum_id: str) -> None:
    other_forum = services.records("forums").create(factories.forum(name="Forum andin")).id
    _register(services, forum_id, first_name="Awa", last_name="Ndiaye", email="awa@example.org")
    _register(services, other_forum, first_name="Awa", last_name="Ndiaye", email="awa@example.org")
    _register(services, forum_id, first_name="Awa", last_name="Diop", email="diop@example.org")
    assert _groups(services, forum_id) == []


def test_merge_keeps_every_answered_field_and_the_earlier_check_in(
    services: Services, forum_id: str
) -> None:
    """Tried: the kept registration has an email but no phone, the other a phone, travel support
    and an earlier check-in. The kept one ends with all of them; the other is a tombstone that
    points to it, and both changes wait in the outbox."""
    registrations = services.records("registrations")
    keep = _register(services, forum_id, first_name="Émile", last_name="Durand", email="e@example.org",
                     organisation=None)
    other = _register(services, forum_id, first_name="emile", last_name="DURAND",
                      phone="+33 6 12 34 56 78", organisation="CIRAD", travel_support=True)
    early = datetime(2026, 3, 10, 8, 5, tzinfo=UTC)
    registrations.update(other, {"checked_in_at": early, "checked_in_by": "Desk 2"})
    _synced(services)
    kept = services.duplicates.merge(keep, other)
    assert kept.values["first_name"] == "Émile"  # the kept answer stands
    assert kept.values["email"] == "e@example.org"
    assert kept.values["phone"] == "+33 6 12 34 56 78"
    assert kept.values["organisation"] == "CIRAD"
    assert kept.values["travel_support"] is True
    assert kept.values["checked_in_at"] == early and kept.values["checked_in_by"] == "Desk 2"
    tombstone = registrations.get(other, include_deleted=True)
    assert tombstone.deleted and tombstone.values["merged_into"] == keep
    assert [view.id for view in registrations.list(filters={"forum_id": forum_id})] == [keep]
    outbox = _outbox(services)
    assert outbox[keep].op == "upsert" and "phone" in outbox[keep].fields
    # The pointer leaves first, as an edit; the delete follows once it has gone.
    assert outbox[other].op == "upsert" and outbox[other].fields == ["merged_into"]
    assert services.duplicates.settle_merges() == 0
    _synced(services)
    assert services.duplicates.settle_merges() == 1
    assert _outbox(services)[other].op == "delete"
    assert services.duplicates.settle_merges() == 0


def test_scans_of_a_merged_registration_count_for_the_kept_one(services: Services, forum_id: str) -> None:
    """Tried: A merged into B, then B into C. A's and B's badges, and resolve_merged, lead to C."""
    a = _register(services, forum_id, first_name="Awa", last_name="Ndiaye")
    b = _register(services, forum_id, first_name="Awa", last_name="Ndiay")
    c = _register(services, forum_id, first_name="Awa", last_name="N'Diaye")
    services.duplicates.merge(b, a)
    services.duplicates.merge(c, b)
    assert resolve_merged(services.database, a) == c
    assert resolve_merged(services.database, c) == c
    with services.database.read() as session:
        assert merged_pointers(session) == {a: c, b: c}
    assert registration_for_scan(services.database, badge_payload(a)) == c


def test_merge_refuses_itself_other_forums_and_gone_records(services: Services, forum_id: str) -> None:
    other_forum = services.records("forums").create(factories.forum(name="Forum andin")).id
    a = _register(services, forum_id)
    b = _register(services, other_forum)
    c = _register(services, forum_id)
    with pytest.raises(MergeRefused):
        services.duplicates.merge(a, a)
    with pytest.raises(MergeRefused):
        services.duplicates.merge(a, b)
    services.duplicates.merge(a, c)
    with pytest.raises(MergeRefused):
        services.duplicates.merge(a, c)  # merged already
    with services.database.read() as session:
        assert session.scalar(select(Registration.merged_into).where(Registration.id == c)) == a


def test_a_merge_keeps_the_check_ins_of_both_in_the_log(services: Services, forum_id: str) -> None:
    """Tried: the same person checked in at one desk under one registration and, on a later day's
    list, under the other; after the merge the kept one is checked in, counted once, and every
    scan of both is still in the log (nothing is rewritten)."""
    keep = _register(services, forum_id, first_name="Binta", last_name="Sow", email="b@example.org")
    other = _register(services, forum_id, first_name="binta", last_name="SOW", email="B@example.org")
    services.check_ins.check_in(other, by="Desk 2")
    assert not services.check_ins.attendee(keep).checked_in
    services.duplicates.merge(keep, other)
    assert services.check_ins.attendee(keep).checked_in
    assert [scan.registration_id for scan in services.check_ins.scans(keep)] == [other]
    counts = services.check_ins.counts(forum_id)
    assert (counts.registered, counts.checked_in) == (1, 1)
