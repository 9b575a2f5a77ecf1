"""Check-ins (protocol 3): scoped like their registration, recorded once, never a conflict.

Every test runs against a real server over HTTP, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from relay_central.models import RecordVersion
from tests.central.harness import Central, Device, forum, new_id, registration

EUROPE = "western_europe"
AFRICA = "sub_saharan_africa"


def scan(registration_id: str, **changes: Any) -> dict[str, Any]:
    values = {
        "registration_id": registration_id,
        "device_id": new_id(),
        "device_name": "Laptop A",
        "scanned_at": "2026-06-01T09:12:00+00:00",
        "direction": "entry",
        "offline": True,
    }
    return {**values, **changes}


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def _forum_with_person(device: Device, region: str = EUROPE) -> tuple[str, str]:
    forum_id, person = new_id(), new_id()
    answers = device.push(
        device.change("forums", forum_id, forum(region)),
        device.change("registrations", person, registration(forum_id)),
    )
    assert [answer["status"] for answer in answers] == ["applied", "applied"]
    return forum_id, person


def _versions(central: Central, scan_id: str) -> int:
    with central.database.reading() as session:
        return session.scalar(
            select(func.count()).select_from(RecordVersion).where(RecordVersion.id == scan_id)
        ) or 0


def test_a_check_in_is_read_and_written_only_by_its_forums_region(central: Central) -> None:
    """Tried: an African relay writing and reading a check-in of a European forum's registration,
    by the feed and by key."""
    europe = central.device([EUROPE])
    africa = central.device([AFRICA])
    _forum_id, person = _forum_with_person(europe)
    mine = new_id()
    assert europe.push_one("checkins", mine, scan(person))["status"] == "applied"

    theirs = africa.push_one("checkins", new_id(), scan(person))
    assert theirs["status"] == "rejected"
    assert theirs["errors"][0] == {
        "field": "registration_id", "code": "forbidden", "message": theirs["errors"][0]["message"]
    }
    assert mine not in _by_id(africa.pull_all()[0])
    assert africa.records(("checkins", mine)) == []
    item = _by_id(europe.pull_all()[0])[mine]
    assert item["kind"] == "checkins" and item["values"]["registration_id"] == person
    assert [found["id"] for found in central.device([EUROPE]).records(("checkins", mine))] == [mine]


def test_the_same_scan_is_recorded_once_whoever_sends_it(central: Central) -> None:
    """Tried: the scan sent again with a new change number (a restored laptop), by another
    laptop (two stores upgraded from the same check-in time), and with other values: the server
    answers `applied` with the version it holds and writes nothing."""
    first = central.device([EUROPE])
    second = central.device([EUROPE])
    _forum_id, person = _forum_with_person(first)
    scan_id, values = new_id(), scan(person)
    answer = first.push_one("checkins", scan_id, values)
    assert (answer["status"], answer["version"]) == ("applied", 1)
    _items, cursor = first.pull_all()

    for device, sent in ((first, values), (second, values),
                         (second, {**values, "device_name": "Laptop B"})):
        again = device.push_one("checkins", scan_id, sent)
        assert (again["status"], again["version"]) == ("applied", 1)
    assert _versions(central, scan_id) == 1
    assert first.pull(cursor)["items"] == []  # nothing new in the feed
    (held,) = second.records(("checkins", scan_id))
    assert held["values"]["device_name"] == "Laptop A"  # the first write stands


def test_a_check_in_is_never_a_conflict_and_never_removed(central: Central) -> None:
    """Tried: an edit of a stored scan from a stale base (what would be a conflict for any other
    kind) and a delete of it."""
    device = central.device([EUROPE])
    _forum_id, person = _forum_with_person(device)
    scan_id = new_id()
    device.push_one("checkins", scan_id, scan(person))
    edit = device.push_one("checkins", scan_id, {"direction": "exit"}, base_version=1)
    assert (edit["status"], edit["version"]) == ("applied", 1)
    removal = device.push_one("checkins", scan_id, op="delete", base_version=1)
    assert removal["status"] == "rejected" and removal["errors"][0]["code"] == "append_only"
    (held,) = device.records(("checkins", scan_id))
    assert held["values"]["direction"] == "entry" and not held["deleted"]
    assert _versions(central, scan_id) == 1


def test_a_check_in_before_its_registration_is_sent_again_later(central: Central) -> None:
    device = central.device([EUROPE])
    forum_id, person = new_id(), new_id()
    device.push_one("forums", forum_id, forum(EUROPE))
    early = device.push_one("checkins", new_id(), scan(person))
    assert early["status"] == "rejected"
    assert early["errors"][0]["code"] == "invalid_reference"
    assert "sent again" in early["errors"][0]["message"]
    # In one batch, the registration first (as the app orders them): accepted.
    scan_id = new_id()
    answers = device.push(
        device.change("registrations", person, registration(forum_id)),
        device.change("checkins", scan_id, scan(person)),
    )
    assert [answer["status"] for answer in answers] == ["applied", "applied"]


def test_older_protocols_never_see_check_ins_yet_their_cursor_moves_past(central: Central) -> None:
    device = central.device([EUROPE])
    _forum_id, person = _forum_with_person(device)
    scan_id = new_id()
    device.push_one("checkins", scan_id, scan(person))
    latest = device.get("/api/v1/sync/meta").json()["latest_cursor"]
    for protocol in (1, 2):
        older = device.speaking(protocol)
        items, cursor = older.pull_all()
        assert all(item["kind"] != "checkins" for item in items)
        assert cursor == latest
    assert device.speaking(2).records(("checkins", scan_id)) == []
    assert scan_id in _by_id(device.pull_all()[0])


def test_check_ins_follow_their_forum_and_their_registration_across_regions(
    central: Central,
) -> None:
    """Tried: the forum moves from Europe to Africa (its registrations and their scans go), then
    the registration moves back to a European forum (its scans come with it)."""
    europe = central.device([EUROPE])
    africa = central.device([AFRICA])
    coordinator = central.device([EUROPE, AFRICA])
    forum_id, person = _forum_with_person(europe)
    scan_id = new_id()
    europe.push_one("checkins", scan_id, scan(person))
    _held, europe_cursor = europe.pull_all()
    _none, africa_cursor = africa.pull_all()

    coordinator.push_one("forums", forum_id, {"region": AFRICA}, base_version=1)
    removal = _by_id(europe.pull_all(europe_cursor)[0])[scan_id]
    assert removal["out_of_scope"] is True and removal["deleted"] is True
    gained, africa_cursor = africa.pull_all(africa_cursor)
    assert _by_id(gained)[scan_id]["values"]["registration_id"] == person
    assert africa.push_one("checkins", new_id(), scan(person))["status"] == "applied"

    back_home = new_id()
    coordinator.push(
        coordinator.change("forums", back_home, forum(EUROPE)),
        coordinator.change("registrations", person, {"forum_id": back_home}, base_version=1),
    )
    left = _by_id(africa.pull_all(africa_cursor)[0])
    assert left[scan_id]["out_of_scope"] is True
    assert {item["id"] for item in europe.records(("checkins", scan_id))} == {scan_id}
