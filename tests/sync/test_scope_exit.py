"""Registrations that leave a relay's regions leave its laptop too, and nothing syncs back."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from relay_app.store.models import PendingChange, Registration, SyncConflict
from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import forum, registration

EUROPE = "western_europe"
AFRICA = "sub_saharan_africa"


def _local_registrations(relay: Relay) -> set[str]:
    """Every registration row on the laptop, tombstones included."""
    with relay.services.database.read() as session:
        return set(session.scalars(select(Registration.id)))


def _outbox_and_conflicts(relay: Relay) -> tuple[list[str], list[str]]:
    with relay.services.database.read() as session:
        return (
            list(session.scalars(select(PendingChange.record_id))),
            list(session.scalars(select(SyncConflict.record_id))),
        )


def _server_registration(central: Central, record_id: str) -> tuple[int, bool]:
    with central.database.reading() as session:
        record = session.get(Record, ("registrations", record_id))
        assert record is not None
        return record.version, record.deleted


def test_a_forum_moved_away_removes_its_registrations_from_the_old_regions_relay(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: relay A (Europe) holds a forum and its registrations, one with an edit not sent yet;
    a coordinator of both regions moves the forum to Africa. Before the fix relay A kept every
    registration for ever."""
    europe = make_relay("europe", [EUROPE])
    africa = make_relay("africa", [AFRICA])
    coordinator = make_relay("coordinator", [EUROPE, AFRICA])
    forum_id = europe.services.records("forums").create(forum(region=EUROPE)).id
    people = europe.services.records("registrations")
    kept = people.create(registration(forum_id)).id
    edited = people.create(registration(forum_id, first_name="Kofi")).id
    assert europe.sync().in_sync
    assert africa.sync().in_sync and _local_registrations(africa) == set()
    assert coordinator.sync().in_sync
    versions_before = {rid: _server_registration(central, rid) for rid in (kept, edited)}

    coordinator.services.records("forums").update(forum_id, {"region": AFRICA})
    assert coordinator.sync().in_sync
    people.update(edited, {"phone": "+33 6 12 34 56 78"})  # refused once the forum has moved

    europe.sync()
    assert _local_registrations(europe) == set()
    assert _outbox_and_conflicts(europe) == ([], [])
    assert europe.services.records("forums").get(forum_id).values["region"] == AFRICA
    # Nothing went back: the registrations live on, unchanged, for the relays of Africa.
    assert {rid: _server_registration(central, rid) for rid in (kept, edited)} == versions_before
    assert europe.sync().in_sync and europe.sync().pushed == 0
    assert africa.sync().in_sync and _local_registrations(africa) == {kept, edited}
    assert _local_registrations(coordinator) == {kept, edited}


def test_a_registration_moved_to_another_regions_forum_leaves_quietly(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    europe = make_relay("europe", [EUROPE])
    coordinator = make_relay("coordinator", [EUROPE, AFRICA])
    forums = coordinator.services.records("forums")
    in_europe = forums.create(forum(region=EUROPE)).id
    in_africa = forums.create(forum(region=AFRICA, name="Forum de Dakar")).id
    record_id = coordinator.services.records("registrations").create(registration(in_europe)).id
    assert coordinator.sync().in_sync
    assert europe.sync().in_sync and _local_registrations(europe) == {record_id}

    coordinator.services.records("registrations").update(record_id, {"forum_id": in_africa})
    assert coordinator.sync().in_sync

    assert europe.sync().in_sync
    assert _local_registrations(europe) == set()
    assert _outbox_and_conflicts(europe) == ([], [])
    assert _server_registration(central, record_id) == (2, False)
