"""Two laptops at one forum's door, offline, then a real server: check-ins never conflict.

Each laptop is a real data dir enrolled with a real central server on 127.0.0.1; they sync over
HTTP. The desks admit people while neither syncs, the same person at both, then sync in turn.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, func, select

from relay_app.store.models import CheckIn, SyncConflict
from relay_app.sync.state import CURSOR_PROTOCOL, write_state
from relay_app.sync.wire import PROTOCOL_VERSION
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import forum, registration


def _people(relay: Relay, forum_id: str, *names: str) -> dict[str, str]:
    records = relay.services.records("registrations")
    return {
        name: records.create(registration(forum_id, first_name=name, last_name="Diop")).id
        for name in names
    }


def _conflicts(relay: Relay) -> int:
    with relay.services.database.read() as session:
        return session.scalar(select(func.count()).select_from(SyncConflict)) or 0


def _everywhere_in_sync(*relays: Relay) -> None:
    for _round in range(2):  # the first laptop hears of the second's scans on its second turn
        for relay in relays:
            summary = relay.sync()
            assert summary.in_sync, summary
            assert summary.conflicts == 0 and summary.rejected == 0, summary


def test_two_desks_admit_offline_and_agree_after_sync_without_a_conflict(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: laptops A and B hold the same forum; offline, both admit Awa, A admits Binta and
    B admits Coumba. After both sync: no conflict anywhere, the same head-count on both (Awa
    once), both of Awa's scans kept on both, the later one flagged on both."""
    a, b = make_relay("a"), make_relay("b")
    forum_id = a.services.records("forums").create(forum(capacity=10)).id
    people = _people(a, forum_id, "Awa", "Binta", "Coumba", "Demba")
    _everywhere_in_sync(a, b)

    a.services.check_ins.check_in(people["Awa"], by="Laptop A")
    a.services.check_ins.check_in(people["Binta"], by="Laptop A")
    b.services.check_ins.check_in(people["Awa"], by="Laptop B")
    b.services.check_ins.check_in(people["Coumba"], by="Laptop B")
    assert a.services.check_ins.counts(forum_id).checked_in == 2
    _everywhere_in_sync(a, b)

    assert _conflicts(a) == _conflicts(b) == 0
    counts = [relay.services.check_ins.counts(forum_id) for relay in (a, b)]
    assert counts[0] == counts[1]
    assert (counts[0].registered, counts[0].checked_in) == (4, 3)
    for relay in (a, b):
        awa = relay.services.check_ins.attendee(people["Awa"])
        scans = relay.services.check_ins.scans(people["Awa"])
        assert sorted(scan.device_name for scan in scans) == ["Laptop A", "Laptop B"]
        # Both desks had synced minutes before: their scans are not marked as made offline.
        assert not any(scan.offline for scan in scans)
        (double,) = awa.double_entries
        assert double.first.id == scans[0].id and double.repeat.id == scans[1].id
        assert awa.checked_in_at == scans[0].scanned_at
    # Undo at one desk cancels both entries; the other desk agrees once it syncs.
    a.services.check_ins.undo_check_in(people["Awa"])
    _everywhere_in_sync(a, b)
    for relay in (a, b):
        assert not relay.services.check_ins.attendee(people["Awa"]).checked_in
        assert relay.services.check_ins.counts(forum_id).checked_in == 2
    assert _conflicts(a) == _conflicts(b) == 0


def test_two_desks_filling_the_last_place_offline_show_who_is_over(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: capacity 2 with one person registered; offline, each laptop registers a walk-in,
    and each is "registered" where it was made. After sync both desks show the forum one over
    capacity and name the same person (the latest registered)."""
    a, b = make_relay("a"), make_relay("b")
    forum_id = a.services.records("forums").create(forum(capacity=2)).id
    _people(a, forum_id, "Awa")
    _everywhere_in_sync(a, b)
    first = a.services.records("registrations").create(
        registration(forum_id, first_name="Binta", last_name="Sow"))
    second = b.services.records("registrations").create(
        registration(forum_id, first_name="Coumba", last_name="Fall"))
    assert first.values["status"] == second.values["status"] == "registered"
    _everywhere_in_sync(a, b)

    counts = [relay.services.check_ins.counts(forum_id) for relay in (a, b)]
    assert counts[0] == counts[1]
    assert (counts[0].registered, counts[0].capacity, counts[0].over_capacity) == (3, 2, 1)
    assert counts[0].beyond_capacity == ("Coumba Fall",)  # registered last
    # A cancellation frees no place while the forum is still over: nobody waits either way.
    a.services.records("registrations").update(first.id, {"status": "cancelled"})
    assert a.services.check_ins.counts(forum_id).over_capacity == 0


def test_a_place_freed_on_a_desk_that_knew_nobody_waiting_is_offered_then_given_once(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: capacity 1, Awa registered on both laptops. Offline, B registers Binta (full: she
    waits) while A cancels Awa (nobody waits on A: the place stays free). After sync neither
    desk promotes on its own (both would); both show one place to give. A gives it: Binta is
    registered on both after sync, and nothing is left to give."""
    a, b = make_relay("a"), make_relay("b")
    forum_id = a.services.records("forums").create(forum(capacity=1)).id
    awa = _people(a, forum_id, "Awa")["Awa"]
    _everywhere_in_sync(a, b)
    binta = b.services.records("registrations").create(
        registration(forum_id, first_name="Binta", last_name="Sow"))
    assert binta.values["status"] == "waitlisted"
    a.services.records("registrations").update(awa, {"status": "cancelled"})
    assert a.services.check_ins.counts(forum_id).places_to_give == 0  # A knows of nobody waiting
    _everywhere_in_sync(a, b)

    for relay in (a, b):
        counts = relay.services.check_ins.counts(forum_id)
        assert (counts.registered, counts.waitlisted, counts.places_to_give) == (0, 1, 1)
    (promoted,) = a.services.check_ins.give_free_places(forum_id)
    assert (promoted.id, promoted.status) == (binta.id, "registered")
    _everywhere_in_sync(a, b)
    for relay in (a, b):
        counts = relay.services.check_ins.counts(forum_id)
        assert (counts.registered, counts.waitlisted, counts.places_to_give) == (1, 0, 0)
    assert b.services.check_ins.give_free_places(forum_id) == []
    assert _conflicts(a) == _conflicts(b) == 0


def test_a_cursor_from_protocol_2_is_followed_by_a_snapshot_that_brings_the_check_ins(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: B's store as a protocol-2 app would have left it (no check-ins, its cursor earned
    with protocol 2): its next sync pulls everything once and the scans arrive."""
    a, b = make_relay("a"), make_relay("b")
    forum_id = a.services.records("forums").create(forum()).id
    awa = _people(a, forum_id, "Awa")["Awa"]
    a.services.check_ins.check_in(awa, by="Laptop A")
    _everywhere_in_sync(a, b)
    assert b.services.check_ins.attendee(awa).checked_in

    with b.services.database.write() as session:
        session.execute(delete(CheckIn))
        write_state(session, CURSOR_PROTOCOL, str(PROTOCOL_VERSION))
    assert b.sync().idle and not b.services.check_ins.attendee(awa).checked_in
    with b.services.database.write() as session:
        write_state(session, CURSOR_PROTOCOL, "2")
    assert b.sync().in_sync
    assert b.services.check_ins.attendee(awa).checked_in_by == "Laptop A"
    assert b.sync().idle
