"""The engine's bookkeeping: receipts, refused changes, edits made mid-sync, ordering, resync."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, select

from relay_app.store.models import PendingChange, SyncRun
from relay_app.sync.errors import Cancelled
from relay_app.sync.progress import Phase, SyncProgress
from relay_central.admin import reset_cursors
from relay_central.models import Record, RecordVersion
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import forum, partner, registration


def _pending(relay: Relay) -> list[PendingChange]:
    with relay.services.database.read() as session:
        return list(session.scalars(select(PendingChange)))


def _server_record(central: Central, record_id: str) -> Record | None:
    with central.database.reading() as session:
        return session.get(Record, ("partners", record_id))


def test_a_refused_change_stays_in_the_outbox_with_its_reason(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay(regions=["western_europe"])
    service = relay.services.records("partners")
    accepted = service.create(partner(1))
    refused = service.create(partner(2, country="BR", region="latin_america_caribbean"))

    summary = relay.sync()
    assert summary.pushed == 1 and summary.rejected == 1
    assert not summary.in_sync and summary.reason
    [entry] = _pending(relay)
    assert entry.record_id == refused.id and entry.attempts == 1
    assert entry.last_error and "region" in entry.last_error and entry.next_attempt_at is not None
    assert service.get(refused.id).dirty_fields  # the record keeps its unsent fields
    assert service.get(accepted.id).base_version == 1

    # The periodic tick lets it wait out its backoff; a person's sync tries it again at once.
    waiting = relay.engine().tick()
    assert waiting.idle and waiting.rejected == 0 and waiting.pending == 1
    assert relay.sync().rejected == 1 and _pending(relay)[0].attempts == 2

    service.update(refused.id, {"country": "FR", "region": "western_europe"})
    assert relay.sync().in_sync
    assert _pending(relay) == []


def test_an_edit_made_while_its_change_is_in_flight_stays_pending(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    service = relay.services.records("partners")
    record_id = service.create(partner(1)).id

    def edit_when_answered(step: SyncProgress) -> None:
        if step.phase is Phase.PUSH_ANSWERED and service.get(record_id).values["city"] != "Nîmes":
            service.update(record_id, {"city": "Nîmes"})

    first = relay.sync(progress=edit_when_answered)
    assert first.pushed == 1 and first.pending == 1 and not first.in_sync
    [entry] = _pending(relay)
    assert entry.fields and "city" in entry.fields
    view = service.get(record_id)
    assert view.base_version == 1 and view.dirty_fields == ("city",)
    assert view.values["city"] == "Nîmes"  # the pull did not overwrite the unsent edit

    assert relay.sync().in_sync
    server = _server_record(central, record_id)
    assert server is not None and server.values["city"] == "Nîmes" and server.version == 2


def test_a_pulled_record_keeps_unsent_local_edits(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("first"), make_relay("second")
    record_id = first.services.records("partners").create(partner(1)).id
    first.sync()
    second.sync()
    first.services.records("partners").update(record_id, {"description": "Sols vivants"})
    first.sync()

    def edit_before_pulling(step: SyncProgress) -> None:
        service = second.services.records("partners")
        if step.phase is Phase.PULLING and not service.get(record_id).dirty_fields:
            service.update(record_id, {"city": "Sète"})

    second.sync(progress=edit_before_pulling)
    view = second.services.records("partners").get(record_id)
    assert (view.values["city"], view.values["description"]) == ("Sète", "Sols vivants")
    assert view.base_version == 1 and view.dirty_fields == ("city",)

    assert second.sync().in_sync and first.sync().in_sync
    values = first.services.records("partners").get(record_id).values
    assert (values["city"], values["description"]) == ("Sète", "Sols vivants")


def test_a_forum_edited_after_its_registrations_is_still_sent_first(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    forums = relay.services.records("forums")
    forum_id = forums.create(forum()).id
    for number in range(3):
        relay.services.records("registrations").create(registration(forum_id, last_name=f"Diop {number}"))
    forums.update(forum_id, {"venue": "Agropolis"})  # the forum's change now has the newest seq

    summary = relay.sync()
    assert summary.in_sync and summary.pushed == 4 and summary.rejected == 0


def test_resync_rebuilds_from_a_snapshot_and_keeps_unsent_changes(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    service = relay.services.records("partners")
    kept = service.create(partner(1)).id
    lost = service.create(partner(2)).id
    relay.sync()
    # The server is restored from a backup that never had ``lost``, then its cursors are reset.
    with central.database.writing() as session:
        session.execute(delete(RecordVersion).where(RecordVersion.id == lost))
        session.execute(delete(Record).where(Record.id == lost))
    reset_cursors(central.database)
    unsent = service.create(partner(3)).id
    refused = service.create(partner(4, country="BR", region="latin_america_caribbean")).id

    summary = relay.sync()
    assert summary.resynced
    ids = {view.id for view in service.list()}
    assert ids == {kept, unsent, refused}
    assert [entry.record_id for entry in _pending(relay)] == [refused]
    assert relay.sync().resynced is False


def test_a_cancelled_sync_loses_nothing_and_the_next_one_finishes(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    service = relay.services.records("partners")
    for number in range(30):
        service.create(partner(number))
    engine = relay.engine()
    engine.batch.size = engine.batch.maximum = 10

    def stop_after_first_batch(step: SyncProgress) -> None:
        if step.phase is Phase.PUSHED and step.done >= 10:
            engine.cancel()

    engine.progress = stop_after_first_batch
    with pytest.raises(Cancelled):
        engine.sync()
    assert len(_pending(relay)) == 20

    assert relay.sync().in_sync
    with central.database.reading() as session:
        versions = list(session.scalars(select(Record.version)))
    assert len(versions) == 30 and set(versions) == {1}
    with relay.services.database.read() as session:
        outcomes = [run.outcome for run in session.scalars(select(SyncRun).order_by(SyncRun.id))]
    assert outcomes == ["cancelled", "ok"]


def test_every_tick_sends_a_non_empty_outbox(central: Central, make_relay: Callable[..., Relay]) -> None:
    relay = make_relay()
    engine = relay.engine()
    assert engine.tick().pulled == 0
    assert engine.tick().idle
    service = relay.services.records("partners")
    for number in range(3):
        service.create(partner(number))
        summary = engine.tick()
        assert summary.pushed == 1 and summary.in_sync and not summary.idle
    assert engine.tick().idle
