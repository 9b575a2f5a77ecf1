"""Pushing changes: applied, replayed, merged, conflicting and rejected, each in one transaction."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import text

from relay_central.prune import prune
from tests.central.harness import Central, Device, forum, new_id, partner


def _versions(central: Central, record_id: str) -> list[int]:
    with central.database.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT version FROM record_versions WHERE id = :id ORDER BY version"),
            {"id": record_id},
        )
        return [row[0] for row in rows]


def _pulled(device: Device, record_id: str) -> dict:
    items, _cursor = device.pull_all()
    matches = [item for item in items if item["id"] == record_id]
    assert len(matches) == 1
    return matches[0]


def test_create_update_and_delete_are_applied(central: Central) -> None:
    device = central.device(["western_europe"])
    record = new_id()

    created = device.push_one("partners", record, partner(city="Lyon"))
    assert created == {"seq": 1, "kind": "partners", "id": record, "status": "applied",
                       "version": 1}
    updated = device.push_one("partners", record, {"city": "Dijon"}, base_version=1)
    assert updated["status"] == "applied" and updated["version"] == 2
    item = _pulled(device, record)
    assert item["values"]["city"] == "Dijon" and item["values"]["name"] == "Institut de recherche"
    assert item["version"] == 2 and item["deleted"] is False

    deleted = device.push_one("partners", record, op="delete", base_version=2)
    assert deleted["status"] == "applied" and deleted["version"] == 3
    tombstone = _pulled(device, record)
    assert tombstone["deleted"] is True and tombstone["version"] == 3
    assert _versions(central, record) == [1, 2, 3]


def test_values_are_cleaned_by_the_shared_validator(central: Central) -> None:
    device = central.device(["western_europe"])
    record = new_id()
    device.push_one("partners", record, partner(city="  Lyon  ", region=None, country="fr"))
    values = _pulled(device, record)["values"]
    assert values["city"] == "Lyon"
    assert values["country"] == "FR"
    assert values["region"] == "western_europe"  # derived from the country
    assert values["status"] == "active"  # the form's default


def test_replayed_change_gets_the_first_answer_and_is_applied_once(central: Central) -> None:
    device = central.device(["western_europe"])
    record = new_id()
    device.push_one("forums", record, forum(capacity=100))
    change = device.change("forums", record, {"capacity": 150}, base_version=1)
    batch = uuid.uuid4().hex
    first = device.push(change, batch_id=batch)
    # The answer was lost on the way back: the client sends the same batch again.
    second = device.push(change, batch_id=batch)
    # ... and once more inside a later batch, with other work.
    third = device.push(change, device.change("forums", new_id(), forum()))
    assert first == second == [third[0]]
    assert first[0]["version"] == 2
    assert _versions(central, record) == [1, 2]

    # A replay is recognised by (device, seq) even when another device changed the record since.
    other = central.device(["western_europe"])
    other.push_one("forums", record, {"capacity": 200}, base_version=2)
    assert device.push(change) == first
    assert _pulled(device, record)["values"]["capacity"] == 200


def test_a_batch_applies_its_valid_changes_and_rejects_the_invalid_ones(central: Central) -> None:
    device = central.device(["western_europe"])
    good, bad, unknown = new_id(), new_id(), new_id()
    results = device.push(
        device.change("forums", good, forum()),
        device.change("forums", bad, forum(start_date="2026-07-01", end_date="2026-06-01",
                                           capacity="lots")),
        device.change("forums", unknown, {**forum(), "colour": "green"}),
    )
    assert [result["status"] for result in results] == ["applied", "rejected", "rejected"]
    errors = {(error["field"], error["code"]) for error in results[1]["errors"]}
    assert ("capacity", "invalid_type") in errors
    assert all(error["message"] for error in results[1]["errors"])
    assert results[2]["errors"] == [
        {"field": "colour", "code": "unknown_field",
         "message": "colour is not a field of this record."}
    ]
    items, _cursor = device.pull_all()
    assert [item["id"] for item in items] == [good]


def test_rejected_update_leaves_the_record_unchanged(central: Central) -> None:
    device = central.device(["western_europe"])
    record = new_id()
    device.push_one("forums", record, forum())
    result = device.push_one("forums", record, {"name": ""}, base_version=1)
    assert result["status"] == "rejected"
    assert result["errors"][0]["field"] == "name" and result["errors"][0]["code"] == "required"
    item = _pulled(device, record)
    assert item["version"] == 1 and item["values"]["name"] == forum()["name"]


def test_edits_of_different_fields_merge_silently(central: Central) -> None:
    office, field = central.device(["western_europe"]), central.device(["western_europe"])
    record = new_id()
    office.push_one("forums", record, forum())
    assert office.push_one("forums", record, {"capacity": 150}, base_version=1)["version"] == 2
    merged = field.push_one("forums", record, {"venue": "Agropolis"}, base_version=1)
    assert merged["status"] == "merged"
    assert merged["version"] == 3
    assert merged["merged_fields"] == {"capacity": 150}
    values = _pulled(office, record)["values"]
    assert (values["capacity"], values["venue"]) == (150, "Agropolis")


def test_same_field_edited_on_both_sides_is_a_conflict_with_both_values(central: Central) -> None:
    office, field = central.device(["western_europe"]), central.device(["western_europe"])
    record = new_id()
    office.push_one("forums", record, forum(city="Montpellier"))
    office.push_one("forums", record, {"city": "Nîmes"}, base_version=1)
    answer = field.push_one("forums", record, {"city": "Sète", "capacity": 80}, base_version=1)
    assert answer["status"] == "conflict"
    assert answer["conflicts"] == [
        {"field": "city", "server_value": "Nîmes", "client_value": "Sète",
         "base_value": "Montpellier"}
    ]
    # The other field of the same change was applied; the server value of `city` stands.
    assert answer["version"] == 3
    values = _pulled(office, record)["values"]
    assert (values["city"], values["capacity"]) == ("Nîmes", 80)

    # The person resolves it on the device: an ordinary change based on the new version.
    resolved = field.push_one("forums", record, {"city": "Sète"}, base_version=3)
    assert resolved["status"] == "applied" and resolved["version"] == 4


def test_edit_against_a_deleted_record_is_kept_as_a_conflict(central: Central) -> None:
    office, field = central.device(["western_europe"]), central.device(["western_europe"])
    record = new_id()
    office.push_one("forums", record, forum())
    office.push_one("forums", record, op="delete", base_version=1)
    answer = field.push_one("forums", record, {"capacity": 10}, base_version=1)
    assert answer["status"] == "conflict"
    assert answer["conflicts"] == [
        {"field": "_deleted", "server_value": True, "client_value": False, "base_value": False}
    ]
    assert answer["version"] == 2
    assert _pulled(office, record)["deleted"] is True

    # Having seen the delete, the person restores the record with their edit.
    restored = field.push_one("forums", record, {"capacity": 10}, base_version=2)
    assert restored["status"] == "applied" and restored["version"] == 3
    item = _pulled(office, record)
    assert item["deleted"] is False and item["values"]["capacity"] == 10


def test_delete_against_a_newer_version_is_applied(central: Central) -> None:
    office, field = central.device(["western_europe"]), central.device(["western_europe"])
    record = new_id()
    office.push_one("forums", record, forum())
    office.push_one("forums", record, {"capacity": 5}, base_version=1)
    answer = field.push_one("forums", record, op="delete", base_version=1)
    assert answer == {"seq": 1, "kind": "forums", "id": record, "status": "applied",
                      "version": 3}
    assert _pulled(office, record)["deleted"] is True


def test_delete_of_a_record_the_server_never_held_stores_nothing(central: Central) -> None:
    device = central.device(["western_europe"])
    answer = device.push_one("forums", new_id(), op="delete")
    assert answer["status"] == "applied" and answer["version"] == 0
    assert device.pull()["items"] == []


def test_stale_delete_can_be_configured_to_be_a_conflict(start_central) -> None:  # type: ignore[no-untyped-def]
    central = start_central(delete_wins_over_edit=False)
    office, field = central.device(["western_europe"]), central.device(["western_europe"])
    record = new_id()
    office.push_one("forums", record, forum())
    office.push_one("forums", record, {"capacity": 5}, base_version=1)
    answer = field.push_one("forums", record, op="delete", base_version=1)
    assert answer["status"] == "conflict"
    assert answer["conflicts"][0]["field"] == "_deleted"
    assert answer["conflicts"][0]["client_value"] is True
    assert _pulled(office, record)["deleted"] is False
    # A delete based on the current version still goes through.
    assert field.push_one("forums", record, op="delete", base_version=2)["status"] == "applied"


def test_device_clocks_play_no_part(central: Central) -> None:
    """Changes carry no device time; the order is the server's, whatever the laptops believe."""
    device = central.device(["western_europe"])
    record = new_id()
    fields = {**forum(), "updated_at": "1999-01-01T00:00:00Z", "created_at": "2099-01-01T00:00:00Z"}
    assert device.push_one("forums", record, fields)["status"] == "applied"
    assert "updated_at" not in _pulled(device, record)["values"]


def test_a_base_pruned_from_the_history_turns_differences_into_conflicts(central: Central) -> None:
    office, field = central.device(["western_europe"]), central.device(["western_europe"])
    record = new_id()
    office.push_one("forums", record, forum(city="Montpellier", capacity=100))
    office.push_one("forums", record, {"capacity": 120}, base_version=1)
    office.push_one("forums", record, {"capacity": 140}, base_version=2)
    report = prune(central.database, central.settings, older_than=timedelta(0))
    assert report.versions == 2 and report.tombstones == 0
    assert _versions(central, record) == [3]

    # Based on version 1, which is gone: nothing proves who changed what.
    answer = field.push_one("forums", record, {"city": "Sète", "capacity": 140}, base_version=1)
    assert answer["status"] == "conflict"
    assert answer["conflicts"] == [
        {"field": "city", "server_value": "Montpellier", "client_value": "Sète",
         "base_value": None}
    ]
    assert answer["version"] == 3
