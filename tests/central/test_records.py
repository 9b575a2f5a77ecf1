"""`POST sync/records`: the latest versions asked for by key, filtered exactly like pull."""

from __future__ import annotations

from tests.central.harness import (
    Central,
    attachment,
    forum,
    new_id,
    partner,
    registration,
)


def test_records_answers_what_the_device_may_read_in_the_order_asked(central: Central) -> None:
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa"])
    paris, dakar, owner = new_id(), new_id(), new_id()
    at_paris, at_dakar, logo, gone = new_id(), new_id(), new_id(), new_id()
    europe.push(
        europe.change("forums", paris, forum()),
        europe.change("registrations", at_paris, registration(paris)),
        europe.change("partners", owner, partner()),
        europe.change("attachments", logo, attachment(owner)),
        europe.change("partners", gone, partner(name="Closed")),
    )
    africa.push(
        africa.change("forums", dakar, forum("sub_saharan_africa", city="Dakar")),
        africa.change("registrations", at_dakar, registration(dakar)),
    )
    europe.push_one("partners", gone, op="delete", base_version=1)

    items = europe.records(
        ("attachments", logo),
        ("registrations", at_dakar),  # another region's registration: never shown
        ("forums", dakar),
        ("partners", new_id()),  # not on the server
        ("registrations", at_paris),
        ("forums", paris),
        ("forums", paris),  # asked twice, answered once
        ("partners", gone),
        ("forums", at_paris),  # an id of another kind
    )
    assert [(item["kind"], item["id"]) for item in items] == [
        ("attachments", logo),
        ("forums", dakar),
        ("registrations", at_paris),
        ("forums", paris),
        ("partners", gone),
    ]
    by_id = {item["id"]: item for item in items}
    assert by_id[dakar]["values"]["city"] == "Dakar"
    assert by_id[at_paris]["values"]["forum_id"] == paris
    assert by_id[logo]["values"]["owner_id"] == owner
    # A tombstone is the latest version too: deleted, with its last values.
    assert (by_id[gone]["version"], by_id[gone]["deleted"]) == (2, True)
    assert by_id[gone]["values"]["name"] == "Closed"
    # The device's own latest change: here the values are always there.
    assert by_id[paris]["values"] is not None

    assert [item["id"] for item in africa.records(("registrations", at_paris),
                                                  ("registrations", at_dakar))] == [at_dakar]


def test_records_hides_file_links_from_protocol_1(central: Central) -> None:
    device = central.device(["western_europe"])
    owner, logo = new_id(), new_id()
    device.push(
        device.change("partners", owner, partner()),
        device.change("attachments", logo, attachment(owner)),
    )
    old_app = device.speaking(1)
    assert [item["id"] for item in old_app.records(("attachments", logo), ("partners", owner))] \
        == [owner]


def test_more_than_500_keys_is_422_json_and_nothing_else_is_refused(central: Central) -> None:
    device = central.device(["western_europe"])
    keys = [{"kind": "forums", "id": new_id()} for _ in range(501)]
    too_many = device.post("/api/v1/sync/records", {"keys": keys})
    assert too_many.status_code == 422
    assert too_many.json()["error"] == "invalid_request"
    assert too_many.json()["message"]

    assert device.post("/api/v1/sync/records", {"keys": keys[:500]}).json() == {"items": []}
    # An id the database could not even store is simply not held.
    odd = device.post("/api/v1/sync/records", {"keys": [{"kind": "forums", "id": "a\x00b"}]})
    assert odd.status_code == 200 and odd.json() == {"items": []}
    unknown_kind = device.post("/api/v1/sync/records", {"keys": [{"kind": "notes", "id": "x"}]})
    assert unknown_kind.status_code == 422


def test_records_needs_a_token_and_a_protocol(central: Central) -> None:
    device = central.device(["western_europe"])
    record = new_id()
    device.push_one("forums", record, forum())
    body = {"keys": [{"kind": "forums", "id": record}]}
    anonymous = device.post("/api/v1/sync/records", body, headers={"Authorization": "Bearer x"})
    assert anonymous.status_code == 401
    too_new = device.speaking(4).post("/api/v1/sync/records", body)
    assert too_new.status_code == 426 and too_new.json()["error"] == "protocol_too_new"
