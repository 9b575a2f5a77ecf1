"""Edits on both sides: merged silently field by field, or kept as a conflict for a person."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from relay_app.sync.conflicts import ConflictChoiceInvalid, ConflictService
from relay_app.sync.progress import Phase, SyncProgress
from tests.central.harness import Central
from tests.sync.conftest import Relay, RelayFactory
from tests.sync.records import partner


def _shared_partner(make_relay: Callable[..., Relay]) -> tuple[Relay, Relay, str]:
    first, second = make_relay("first"), make_relay("second")
    record_id = first.services.records("partners").create(partner(1)).id
    assert first.sync().in_sync
    assert second.sync().in_sync
    return first, second, record_id


def test_different_fields_edited_on_both_sides_merge_silently(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second, record_id = _shared_partner(make_relay)
    first.services.records("partners").update(record_id, {"city": "Nîmes"})
    second.services.records("partners").update(record_id, {"description": "Sols vivants"})

    assert first.sync().in_sync
    merged = second.sync()
    assert merged.in_sync and merged.conflicts == 0
    assert first.sync().in_sync

    for relay in (first, second):
        values = relay.services.records("partners").get(record_id).values
        assert (values["city"], values["description"]) == ("Nîmes", "Sols vivants")
        assert ConflictService(relay.services.database).list() == []
        assert relay.services.status().pending_changes == 0


def test_same_field_edited_on_both_sides_is_one_conflict_until_resolved(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second, record_id = _shared_partner(make_relay)
    first.services.records("partners").update(record_id, {"city": "Nîmes", "acronym": "CA1"})
    second.services.records("partners").update(record_id, {"city": "Sète"})
    assert first.sync().in_sync

    clashed = second.sync()
    conflicts = ConflictService(second.services.database)
    assert clashed.conflicts == 1 and not clashed.in_sync and clashed.reason
    [conflict] = conflicts.list()
    assert (conflict.field, conflict.mine, conflict.theirs, conflict.base_value) == (
        "city", "Sète", "Nîmes", "Montpellier"
    )
    # Until someone decides, the record shows the server's value, and nothing waits in the outbox.
    shown = second.services.records("partners").get(record_id)
    assert shown.values["city"] == "Nîmes" and shown.values["acronym"] == "CA1"
    assert second.services.status().pending_changes == 0

    conflicts.resolve(conflict.id, keep="mine")
    assert conflicts.list() == []
    assert second.sync().in_sync
    assert first.sync().in_sync
    for relay in (first, second):
        assert relay.services.records("partners").get(record_id).values["city"] == "Sète"
        assert ConflictService(relay.services.database).list() == []


def test_keeping_theirs_or_a_new_value(central: Central, make_relay: Callable[..., Relay]) -> None:
    first, second, record_id = _shared_partner(make_relay)
    first.services.records("partners").update(record_id, {"city": "Nîmes", "phone": "+33 1 23 45 67 89"})
    second.services.records("partners").update(record_id, {"city": "Sète", "phone": "+33 4 00 00 00 00"})
    first.sync()
    second.sync()
    conflicts = ConflictService(second.services.database)
    by_field = {conflict.field: conflict for conflict in conflicts.list()}
    assert set(by_field) == {"city", "phone"}

    with pytest.raises(ConflictChoiceInvalid):
        conflicts.resolve(by_field["city"].id)
    conflicts.resolve(by_field["city"].id, keep="theirs")
    conflicts.resolve(by_field["phone"].id, value="+33 5 11 11 11 11")
    assert second.sync().in_sync
    first.sync()
    for relay in (first, second):
        values = relay.services.records("partners").get(record_id).values
        assert (values["city"], values["phone"]) == ("Nîmes", "+33 5 11 11 11 11")


def test_edit_of_a_record_deleted_elsewhere_can_bring_it_back(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second, record_id = _shared_partner(make_relay)
    first.services.records("partners").delete(record_id)
    second.services.records("partners").update(record_id, {"city": "Sète"})
    assert first.sync().in_sync

    clashed = second.sync()
    conflicts = ConflictService(second.services.database)
    [conflict] = conflicts.list()
    assert clashed.conflicts == 1 and conflict.about_deletion and conflict.theirs is True
    assert second.services.records("partners").count() == 0  # the server's delete stands for now

    conflicts.resolve(conflict.id, keep="mine")
    assert second.sync().in_sync
    assert first.sync().in_sync
    for relay in (first, second):
        restored = relay.services.records("partners").get(record_id)
        assert restored.values["city"] == "Sète" and not restored.deleted


def test_a_delete_of_a_record_edited_elsewhere_waits_for_a_decision_when_so_configured(
    start_central: Callable[..., Central], tmp_path: Path
) -> None:
    central = start_central(delete_wins_over_edit=False)
    relays = RelayFactory(central, tmp_path)
    first, second = relays.make("first"), relays.make("second")
    record_id = first.services.records("partners").create(partner(1)).id
    first.sync()
    second.sync()
    first.services.records("partners").update(record_id, {"city": "Nîmes"})
    second.services.records("partners").delete(record_id)
    first.sync()

    clashed = second.sync()
    conflicts = ConflictService(second.services.database)
    [conflict] = conflicts.list()
    assert clashed.conflicts == 1 and conflict.about_deletion and conflict.theirs is False
    # The server's copy stands: the record is back here, with the other relay's edit.
    assert second.services.records("partners").get(record_id).values["city"] == "Nîmes"

    conflicts.resolve(conflict.id, keep="mine")
    assert second.sync().in_sync and first.sync().in_sync
    for relay in (first, second):
        assert relay.services.records("partners").count() == 0
    relays.close()


def test_a_field_edited_while_its_batch_is_in_flight_is_not_silently_kept(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second, record_id = _shared_partner(make_relay)
    second.services.records("partners").update(record_id, {"city": "Sète"})
    assert second.sync().in_sync
    service = first.services.records("partners")
    service.update(record_id, {"acronym": "CA1"})

    def edit_city_in_flight(step: SyncProgress) -> None:
        # The batch (the acronym only) is built; the city is edited before its answer comes.
        if step.phase is Phase.PUSHING and service.get(record_id).values["city"] != "Nîmes":
            service.update(record_id, {"city": "Nîmes"})

    clashed = first.sync(progress=edit_city_in_flight)
    assert clashed.conflicts == 1 and not clashed.in_sync
    conflicts = ConflictService(first.services.database)
    [conflict] = conflicts.list()
    assert (conflict.field, conflict.mine, conflict.theirs) == ("city", "Nîmes", "Sète")
    shown = service.get(record_id)
    assert shown.values["city"] == "Sète" and shown.values["acronym"] == "CA1"
    assert "city" not in shown.dirty_fields
    assert first.services.status().pending_changes == 0

    conflicts.resolve(conflict.id, keep="mine")
    assert first.sync().in_sync and second.sync().in_sync
    for relay in (first, second):
        assert relay.services.records("partners").get(record_id).values["city"] == "Nîmes"


def test_an_in_flight_edit_equal_to_the_merged_value_is_no_conflict(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second, record_id = _shared_partner(make_relay)
    second.services.records("partners").update(record_id, {"city": "Sète"})
    assert second.sync().in_sync
    service = first.services.records("partners")
    service.update(record_id, {"acronym": "CA1"})

    def same_edit_in_flight(step: SyncProgress) -> None:
        if step.phase is Phase.PUSHING and service.get(record_id).values["city"] != "Sète":
            service.update(record_id, {"city": "Sète"})

    summary = first.sync(progress=same_edit_in_flight)
    assert summary.conflicts == 0 and summary.in_sync
    assert ConflictService(first.services.database).list() == []
    assert service.get(record_id).values["city"] == "Sète"
