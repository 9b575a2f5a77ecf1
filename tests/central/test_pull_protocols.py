"""Pull by protocol version: no file links for protocol 1, own changes without values for 2."""

from __future__ import annotations

from typing import Any

from relay_app.forms import form_for
from tests.central.harness import Central, Device, attachment, forum, new_id, partner


def full(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Every field of the record as the server stores it: a create the server need not clean."""
    form = form_for(kind)
    validation = form.validate(values)
    assert validation.errors == []
    return form.to_json(validation.cleaned)


def started(central: Central, device: Device) -> str:
    """A cursor past something already in the feed: from here on, pulls are incremental."""
    central.device(["western_europe"]).push_one("forums", new_id(), forum(city="Lyon"))
    _items, cursor = device.pull_all()
    return cursor


def item_of(device: Device, cursor: str | None, record_id: str) -> dict[str, Any]:
    items, _end = device.pull_all(cursor)
    (item,) = [item for item in items if item["id"] == record_id]
    return item


def test_protocol_1_never_sees_file_links_yet_its_cursor_moves_past_them(
    central: Central,
) -> None:
    writer = central.device(["western_europe"])
    old_app = central.device(["western_europe"]).speaking(1)
    first, second = new_id(), new_id()
    links = [new_id() for _ in range(3)]
    writer.push(
        writer.change("partners", first, partner()),
        *(writer.change("attachments", link, attachment(first, role="photo")) for link in links),
        writer.change("partners", second, partner(name="Coopérative")),
        writer.change("attachments", new_id(), attachment(second)),
    )
    latest = writer.get("/api/v1/sync/meta").json()["latest_cursor"]

    items, cursor = old_app.pull_all(limit=2)
    assert [(item["kind"], item["id"]) for item in items] == [
        ("partners", first), ("partners", second)
    ]
    assert all(item["values"] is not None for item in items)
    # The feed ends on a link: the old app's cursor is still the latest one, it is up to date.
    assert cursor == latest
    assert old_app.pull(cursor)["items"] == []

    current, _cursor = writer.pull_all(limit=2)
    assert sum(item["kind"] == "attachments" for item in current) == 4


def test_protocol_1_gets_the_values_of_its_own_changes(central: Central) -> None:
    device = central.device(["western_europe"])
    cursor = started(central, device)
    record = new_id()
    device.push_one("forums", record, full("forums", forum()))

    old = item_of(device.speaking(1), cursor, record)
    assert old["values"]["city"] == "Montpellier"
    assert item_of(device, cursor, record)["values"] is None


def test_own_change_comes_back_without_values_to_its_writer_only(central: Central) -> None:
    device = central.device(["western_europe"])
    other = central.device(["western_europe"])
    cursor = started(central, device)
    other_cursor = started(central, other)
    record = new_id()
    assert device.push_one("forums", record, full("forums", forum()))["status"] == "applied"
    updated = device.push_one("forums", record, {"capacity": 80}, base_version=1)
    assert (updated["status"], updated["version"]) == ("applied", 2)

    echo = item_of(device, cursor, record)
    assert (echo["version"], echo["deleted"], echo["values"]) == (2, False, None)
    seen = item_of(other, other_cursor, record)
    assert seen["version"] == 2 and seen["values"]["capacity"] == 80
    # A snapshot, from the start of the feed or after `resync`, always carries the values.
    assert item_of(device, None, record)["values"]["capacity"] == 80
    # So does the answer of `sync/records`, for a device that lost its push answer.
    (fetched,) = device.records(("forums", record))
    assert (fetched["version"], fetched["values"]["capacity"]) == (2, 80)

    deleted = device.push_one("forums", record, op="delete", base_version=2)
    tombstone = item_of(device, cursor, record)
    assert (tombstone["version"], tombstone["deleted"]) == (deleted["version"], True)
    assert tombstone["values"] is None


def test_merged_answers_are_echoed_without_values_but_conflicts_carry_them(
    central: Central,
) -> None:
    first = central.device(["western_europe"])
    second = central.device(["western_europe"])
    first_cursor = started(central, first)
    second_cursor = started(central, second)
    record = new_id()
    first.push_one("forums", record, full("forums", forum()))
    assert second.push_one("forums", record, {"capacity": 60}, base_version=1)["version"] == 2

    merged = first.push_one("forums", record, {"venue": "Agropolis"}, base_version=1)
    assert (merged["status"], merged["merged_fields"]) == ("merged", {"capacity": 60})
    assert item_of(first, first_cursor, record)["values"] is None
    assert item_of(second, second_cursor, record)["values"]["venue"] == "Agropolis"

    # The second device edits the venue without having seen the first's: a conflict, where the
    # server's value stands. Its echo must carry the values it does not hold.
    conflict = second.push_one(
        "forums", record, {"venue": "Corum", "city": "Nîmes"}, base_version=2
    )
    assert conflict["status"] == "conflict"
    echo = item_of(second, second_cursor, record)
    assert echo["version"] == conflict["version"]
    assert (echo["values"]["venue"], echo["values"]["city"]) == ("Agropolis", "Nîmes")


def test_values_the_server_cleaned_come_back_in_full(central: Central) -> None:
    device = central.device(["western_europe"])
    cursor = started(central, device)
    defaulted, trimmed, with_nul, decimal = new_id(), new_id(), new_id(), new_id()
    device.push(
        # No status: the server fills in the default, which the device does not hold.
        device.change("partners", defaulted, partner()),
        *(device.change("forums", record, full("forums", forum()))
          for record in (trimmed, with_nul, decimal)),
    )
    device.push(
        device.change("forums", trimmed, {"city": "  Nîmes  "}, base_version=1),
        device.change("forums", with_nul, {"city": "Nî\x00mes"}, base_version=1),
        # Equal in Python, not on the wire: the device holds 80.0, the server stored 80.
        device.change("forums", decimal, {"capacity": 80.0}, base_version=1),
    )
    items, _end = device.pull_all(cursor)
    by_id = {item["id"]: item for item in items}
    assert by_id[defaulted]["values"]["status"] == "active"
    assert by_id[trimmed]["values"]["city"] == "Nîmes"
    assert by_id[with_nul]["values"]["city"] == "Nîmes"
    assert by_id[decimal]["values"]["capacity"] == 80


def test_a_replayed_change_does_not_turn_an_echo_into_values_or_back(central: Central) -> None:
    device = central.device(["western_europe"])
    cursor = started(central, device)
    record = new_id()
    change = device.change("forums", record, full("forums", forum()))
    first = device.push(change, batch_id="same-batch")
    again = device.push(change, batch_id="same-batch")
    assert first == again
    echo = item_of(device, cursor, record)
    assert (echo["version"], echo["values"]) == (1, None)


def test_a_create_that_sent_every_filled_field_comes_back_without_values(
    central: Central,
) -> None:
    """What the app sends for a new record: its filled fields; the empty ones are empty on both sides."""
    device = central.device(["western_europe"])
    cursor = started(central, device)
    record = new_id()
    sent = {name: value for name, value in full("partners", partner()).items()
            if value not in (None, "", [])}
    assert "languages" not in sent and sent["status"] == "active"
    assert device.push_one("partners", record, sent)["status"] == "applied"
    assert item_of(device, cursor, record)["values"] is None
    (stored,) = device.records(("partners", record))
    assert stored["values"]["languages"] == [] and stored["values"]["status"] == "active"
