"""A registration that leaves a relay's scope reaches that relay's next pull as a removal item."""

from __future__ import annotations

from typing import Any

from tests.central.harness import Central, forum, new_id, registration

EUROPE = "western_europe"
AFRICA = "sub_saharan_africa"


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def test_a_forum_moved_to_another_region_takes_its_registrations_out_of_scope(
    central: Central,
) -> None:
    """Tried: a coordinator of both regions moves a forum from Europe to Africa. Before the fix the
    European relay's next pull said nothing about its registrations, so it kept them for ever."""
    europe = central.device([EUROPE])
    africa = central.device([AFRICA])
    coordinator = central.device([EUROPE, AFRICA])
    forum_id, first, second = new_id(), new_id(), new_id()
    europe.push(
        europe.change("forums", forum_id, forum(EUROPE)),
        europe.change("registrations", first, registration(forum_id)),
        europe.change("registrations", second, registration(forum_id, first_name="Kofi")),
    )
    held, cursor = europe.pull_all()
    assert {first, second} <= set(_by_id(held))

    moved = coordinator.push_one("forums", forum_id, {"region": AFRICA}, base_version=1)
    assert moved["status"] == "applied"

    page = _by_id(europe.pull_all(cursor)[0])
    assert page[forum_id]["values"]["region"] == AFRICA  # forums are read by every relay
    for record_id in (first, second):
        removal = page[record_id]
        assert removal["out_of_scope"] is True
        # Read by an app that does not know the key: a delete it applies without pushing back.
        assert removal["deleted"] is True and removal["values"] == {}
    # The other region now holds them in full; a newcomer in Europe never hears of them.
    gained = _by_id(africa.pull_all()[0])
    assert gained[first]["values"]["first_name"] == "Awa"
    assert gained[first].get("out_of_scope", False) is False
    assert not {first, second} & set(_by_id(central.device([EUROPE]).pull_all()[0]))
    # The removal is a change of the feed: once pulled, it does not come again.
    _items, after = europe.pull_all(cursor)
    assert europe.pull(after)["items"] == []


def test_a_registration_moved_to_a_forum_of_another_region_leaves_too(central: Central) -> None:
    """Tried: the registration itself changes forum, across regions."""
    europe = central.device([EUROPE])
    coordinator = central.device([EUROPE, AFRICA])
    in_europe, in_africa, record_id = new_id(), new_id(), new_id()
    coordinator.push(
        coordinator.change("forums", in_europe, forum(EUROPE)),
        coordinator.change("forums", in_africa, forum(AFRICA)),
        coordinator.change("registrations", record_id, registration(in_europe)),
    )
    _held, cursor = europe.pull_all()
    assert coordinator.push_one(
        "registrations", record_id, {"forum_id": in_africa}, base_version=1
    )["status"] == "applied"

    [removal] = europe.pull_all(cursor)[0]
    assert (removal["id"], removal["out_of_scope"], removal["values"]) == (record_id, True, {})


def test_a_forum_moved_back_brings_its_registrations_back_in_full(central: Central) -> None:
    europe = central.device([EUROPE])
    coordinator = central.device([EUROPE, AFRICA])
    forum_id, record_id = new_id(), new_id()
    coordinator.push(
        coordinator.change("forums", forum_id, forum(EUROPE)),
        coordinator.change("registrations", record_id, registration(forum_id)),
    )
    _held, cursor = europe.pull_all()
    coordinator.push_one("forums", forum_id, {"region": AFRICA}, base_version=1)
    coordinator.push_one("forums", forum_id, {"region": EUROPE}, base_version=2)

    back = _by_id(europe.pull_all(cursor)[0])[record_id]
    assert back.get("out_of_scope", False) is False and back["deleted"] is False
    assert back["values"]["first_name"] == "Awa"
