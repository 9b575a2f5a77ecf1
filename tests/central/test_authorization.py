"""A relay writes only its regions' records and reads only its regions' registrations."""

from __future__ import annotations

from tests.central.harness import Central, forum, new_id, partner, registration


def test_writes_outside_the_relays_regions_are_rejected_forbidden(central: Central) -> None:
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa"])
    dakar = new_id()
    created = africa.push_one("forums", dakar, forum("sub_saharan_africa", city="Dakar"))
    assert created["status"] == "applied"

    outside_create = europe.push_one("partners", new_id(), partner("sub_saharan_africa", "SN"))
    outside_update = europe.push_one("forums", dakar, {"capacity": 1}, base_version=1)
    outside_delete = europe.push_one("forums", dakar, op="delete", base_version=1)
    for answer in (outside_create, outside_update, outside_delete):
        assert answer["status"] == "rejected"
        assert answer["errors"][0]["code"] == "forbidden"
        assert "western_europe" in answer["errors"][0]["message"]

    # Moving a record out of one's regions needs the new region too.
    paris = new_id()
    europe.push_one("forums", paris, forum("western_europe"))
    moved = europe.push_one("forums", paris, {"region": "sub_saharan_africa"}, base_version=1)
    assert moved["status"] == "rejected" and moved["errors"][0]["code"] == "forbidden"

    items, _cursor = africa.pull_all()
    by_id = {item["id"]: item for item in items}
    assert by_id[dakar]["version"] == 1 and not by_id[dakar]["deleted"]
    assert by_id[paris]["values"]["region"] == "western_europe"


def test_registrations_follow_the_region_of_their_forum(central: Central) -> None:
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa", "northern_africa"])
    paris, dakar = new_id(), new_id()
    europe.push_one("forums", paris, forum("western_europe"))
    africa.push_one("forums", dakar, forum("sub_saharan_africa"))
    at_paris, at_dakar = new_id(), new_id()
    assert europe.push_one("registrations", at_paris, registration(paris))["status"] == "applied"
    assert africa.push_one("registrations", at_dakar, registration(dakar))["status"] == "applied"

    refused = europe.push_one("registrations", new_id(), registration(dakar))
    assert refused["status"] == "rejected"
    assert refused["errors"][0] == {**refused["errors"][0], "field": "forum_id",
                                    "code": "forbidden"}
    # Nor may it read (through a conflict answer) or change another region's registration.
    probe = europe.push_one("registrations", at_dakar, {"email": "x@example.org"})
    assert probe["status"] == "rejected" and "conflicts" not in probe

    europe_items, _c = europe.pull_all()
    africa_items, _c = africa.pull_all()
    assert {item["id"] for item in europe_items} == {paris, dakar, at_paris}
    assert {item["id"] for item in africa_items} == {paris, dakar, at_dakar}


def test_a_forum_moving_region_sends_its_registrations_to_the_new_region(
    central: Central,
) -> None:
    organiser = central.device(["western_europe", "northern_africa"])
    north = central.device(["northern_africa"])
    forum_id, person = new_id(), new_id()
    organiser.push_one("forums", forum_id, forum("western_europe"))
    organiser.push_one("registrations", person, registration(forum_id))
    _items, cursor = north.pull_all()

    organiser.push_one("forums", forum_id, {"region": "northern_africa"}, base_version=1)
    items, _end = north.pull_all(cursor)
    assert {item["id"] for item in items} == {forum_id, person}
