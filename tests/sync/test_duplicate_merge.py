"""The same person registered on two laptops offline: suggested after sync, merged, merge synced.

Real central server on 127.0.0.1 (tests/central/harness.py), real HTTP, two real data dirs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from relay_app.services.badges import badge_payload, registration_for_scan
from relay_app.services.duplicates import resolve_merged
from relay_app.store.models import MergeTombstoneDue, PendingChange
from relay_app.sync.errors import Cancelled
from relay_app.sync.progress import Phase, SyncProgress
from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import forum, registration


def _server_record(central: Central, record_id: str) -> Record:
    with central.database.reading() as session:
        record = session.scalars(select(Record).where(Record.id == record_id)).one()
        session.expunge(record)
        return record


def test_two_laptops_one_person_merged_and_the_merge_reaches_both(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: laptop A and laptop B register "Émile Durand" / "DURAND emile" offline with one email
    in two cases; both sync; A is offered the pair, merges it, syncs; B syncs. Both laptops then hold
    one registration with the answers of both, the other as a tombstone pointing to it (on the
    server too), and B's scan of the merged-away badge finds the kept registration."""
    laptop_a, laptop_b = make_relay("a"), make_relay("b")
    forum_id = laptop_a.services.records("forums").create(forum()).id
    assert laptop_a.sync().in_sync
    laptop_b.sync()
    keep = laptop_a.services.records("registrations").create(
        registration(forum_id, first_name="Émile", last_name="Durand", email="emile@example.org")
    ).id
    other = laptop_b.services.records("registrations").create(
        registration(forum_id, first_name="DURAND", last_name="emile", email="Emile@Example.org",
                     phone="+33 6 12 34 56 78", organisation="CIRAD")
    ).id
    laptop_a.sync()
    laptop_b.sync()
    laptop_a.sync()

    groups = laptop_a.services.duplicates.duplicates(forum_id)
    assert [(set(group.ids), group.reason) for group in groups] == [({keep, other}, "email")]
    laptop_a.services.duplicates.merge(keep, other)
    assert laptop_a.sync().in_sync  # the kept answers, the pointer, then the delete
    assert laptop_b.sync().in_sync

    tombstone = _server_record(central, other)
    assert tombstone.deleted and tombstone.values["merged_into"] == keep
    for laptop in (laptop_a, laptop_b):
        registrations = laptop.services.records("registrations")
        assert [view.id for view in registrations.list(filters={"forum_id": forum_id})] == [keep]
        kept = registrations.get(keep).values
        assert kept["phone"] == "+33 6 12 34 56 78" and kept["organisation"] == "CIRAD"
        assert kept["first_name"] == "Émile"
        assert registrations.get(other, include_deleted=True).values["merged_into"] == keep
        assert resolve_merged(laptop.services.database, other) == keep
        assert laptop.services.duplicates.duplicates(forum_id) == []
    assert registration_for_scan(laptop_b.services.database, badge_payload(other)) == keep


def test_a_pointer_pulled_before_its_delete_is_settled_on_the_other_laptop(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: A merges and its sync is stopped once the pointer's receipt is stored (the delete not
    sent yet); B syncs and looks for duplicates: B deletes the merged-away copy itself, and its
    delete is accepted."""
    laptop_a, laptop_b = make_relay("a"), make_relay("b")
    forum_id = laptop_a.services.records("forums").create(forum()).id
    registrations_a = laptop_a.services.records("registrations")
    keep = registrations_a.create(registration(forum_id, email="awa@example.org")).id
    other = registrations_a.create(registration(forum_id, email="AWA@example.org")).id
    laptop_a.sync()
    laptop_b.sync()
    laptop_a.services.duplicates.merge(keep, other)
    with pytest.raises(Cancelled):
        laptop_a.sync(progress=_stop_when_pushed)
    assert not _server_record(central, other).deleted
    laptop_b.sync()
    assert laptop_b.services.duplicates.duplicates(forum_id) == []
    registrations_b = laptop_b.services.records("registrations")
    assert [view.id for view in registrations_b.list(filters={"forum_id": forum_id})] == [keep]
    assert laptop_b.sync().in_sync
    assert laptop_a.sync().in_sync  # the stopped run's delete goes now
    assert _server_record(central, other).deleted


def test_a_pulled_pointer_is_settled_by_the_next_sync_with_nothing_else_to_do(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: A merges and its sync is stopped once the pointer's receipt is stored; B pulls the
    pointer, then syncs again with an empty outbox and the server's latest cursor (a run that
    would otherwise end at the idle check). That run deletes B's copy and the server takes it."""
    laptop_a, laptop_b = make_relay("a"), make_relay("b")
    forum_id = laptop_a.services.records("forums").create(forum()).id
    registrations_a = laptop_a.services.records("registrations")
    keep = registrations_a.create(registration(forum_id, email="awa@example.org")).id
    other = registrations_a.create(registration(forum_id, email="AWA@example.org")).id
    laptop_a.sync()
    laptop_b.sync()
    laptop_a.services.duplicates.merge(keep, other)
    with pytest.raises(Cancelled):
        laptop_a.sync(progress=_stop_when_pushed)
    assert laptop_b.sync().pulled >= 1

    summary = laptop_b.sync()

    assert not summary.idle and summary.in_sync and summary.pending == 0
    assert _server_record(central, other).deleted
    registrations_b = laptop_b.services.records("registrations")
    assert [view.id for view in registrations_b.list(filters={"forum_id": forum_id})] == [keep]


def test_one_sync_after_a_merge_leaves_the_tombstone_on_the_server_and_the_outbox_empty(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: a laptop merges two synced registrations and syncs once, nothing else. The server
    then holds the merged-away one as a tombstone carrying ``merged_into``, the laptop's outbox is
    empty and no delete waits; a second sync has nothing to send."""
    laptop = make_relay("a")
    forum_id = laptop.services.records("forums").create(forum()).id
    registrations = laptop.services.records("registrations")
    keep = registrations.create(registration(forum_id, email="ines@example.org")).id
    other = registrations.create(registration(forum_id, email="INES@example.org", phone="0612345678")).id
    assert laptop.sync().in_sync
    laptop.services.duplicates.merge(keep, other)

    summary = laptop.sync()

    assert summary.in_sync and summary.pending == 0
    tombstone = _server_record(central, other)
    assert tombstone.deleted and tombstone.values["merged_into"] == keep
    assert _server_record(central, keep).values["phone"] == "0612345678"
    with laptop.services.database.read() as session:
        assert session.scalar(select(func.count()).select_from(PendingChange)) == 0
        assert session.scalar(select(func.count()).select_from(MergeTombstoneDue)) == 0
    assert laptop.sync().pushed == 0


def _stop_when_pushed(step: SyncProgress) -> None:
    """Stops a run as soon as its first push's receipts are stored (a cut link, a closed lid)."""
    if step.phase is Phase.PUSHED:
        raise Cancelled()
