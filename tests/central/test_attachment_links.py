"""Protocol 2: a file's link to a partner or practice syncs like a record, in its region."""

from __future__ import annotations

from datetime import timedelta

from relay_central.prune import prune
from tests.central.harness import Central, attachment, new_id, partner, practice


def test_a_relay_links_files_to_records_of_its_region_and_everyone_reads_the_links(
    central: Central,
) -> None:
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa"])
    institute, plot = new_id(), new_id()
    europe.push(
        europe.change("partners", institute, partner()),
        europe.change("practices", plot, practice()),
    )
    logo, photo = new_id(), new_id()
    answers = europe.push(
        europe.change("attachments", logo, attachment(institute)),
        europe.change("attachments", photo, attachment(plot, "practices", role="photo")),
    )
    assert [(answer["id"], answer["status"], answer["version"]) for answer in answers] == [
        (logo, "applied", 1), (photo, "applied", 1)
    ]

    items, _cursor = africa.pull_all()
    links = {item["id"]: item for item in items if item["kind"] == "attachments"}
    assert set(links) == {logo, photo}
    assert links[photo]["values"]["owner_id"] == plot
    assert links[photo]["values"]["role"] == "photo"


def test_links_to_another_regions_record_are_rejected_forbidden(central: Central) -> None:
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa"])
    dakar_partner, paris_partner = new_id(), new_id()
    africa.push_one("partners", dakar_partner, partner("sub_saharan_africa", "SN", city="Dakar"))
    europe.push_one("partners", paris_partner, partner())

    created = europe.push_one("attachments", new_id(), attachment(dakar_partner))
    assert created["status"] == "rejected"
    (error,) = created["errors"]
    assert (error["field"], error["code"]) == ("owner_id", "forbidden")
    assert "western_europe" in error["message"]

    # Nor may a link of one's own region be moved to, or edited by, another region.
    link = new_id()
    assert europe.push_one("attachments", link, attachment(paris_partner))["status"] == "applied"
    moved = europe.push_one("attachments", link, {"owner_id": dakar_partner}, base_version=1)
    edited = africa.push_one("attachments", link, {"caption": "Our logo"}, base_version=1)
    removed = africa.push_one("attachments", link, op="delete", base_version=1)
    for answer in (moved, edited, removed):
        assert answer["status"] == "rejected", answer
        assert answer["errors"][0]["code"] == "forbidden"
    (item,) = [item for item in europe.pull_all()[0] if item["id"] == link]
    assert item["version"] == 1 and not item["deleted"]


def test_a_link_whose_record_the_server_does_not_hold_is_rejected_for_a_later_retry(
    central: Central,
) -> None:
    device = central.device(["western_europe"])
    owner, link = new_id(), new_id()
    early = device.push_one("attachments", link, attachment(owner))
    assert early["status"] == "rejected"
    (error,) = early["errors"]
    assert (error["field"], error["code"]) == ("owner_id", "invalid_reference")
    assert "not on the server yet" in error["message"]
    assert [item for item in device.pull_all()[0] if item["id"] == link] == []

    # Once its record arrived, the same link sent again (a new change number) is applied.
    device.push_one("partners", owner, partner())
    later = device.push_one("attachments", link, attachment(owner))
    assert (later["status"], later["version"]) == ("applied", 1)


def test_the_owner_may_come_earlier_in_the_same_batch(central: Central) -> None:
    device = central.device(["western_europe"])
    kept, refused, late = new_id(), new_id(), new_id()
    answers = device.push(
        device.change("partners", kept, partner()),
        device.change("attachments", new_id(), attachment(kept)),
        # A record rejected earlier in the batch is not held: its link is not either.
        device.change("partners", refused, partner(kind="not-a-kind")),
        device.change("attachments", new_id(), attachment(refused)),
        # Nor is a record that comes only later in the batch.
        device.change("attachments", new_id(), attachment(late)),
        device.change("partners", late, partner()),
    )
    assert [answer["status"] for answer in answers] == [
        "applied", "applied", "rejected", "rejected", "rejected", "applied"
    ]
    assert answers[3]["errors"][0]["code"] == "invalid_reference"
    assert answers[4]["errors"][0]["code"] == "invalid_reference"


def test_a_link_follows_its_owner_into_another_region(central: Central) -> None:
    organiser = central.device(["western_europe", "northern_africa"])
    europe = central.device(["western_europe"])
    north = central.device(["northern_africa"])
    owner, link = new_id(), new_id()
    organiser.push(
        organiser.change("partners", owner, partner()),
        organiser.change("attachments", link, attachment(owner)),
    )
    organiser.push_one(
        "partners", owner, {"region": "northern_africa", "country": "MA"}, base_version=1
    )

    refused = europe.push_one("attachments", link, {"caption": "Logo"}, base_version=1)
    assert refused["status"] == "rejected" and refused["errors"][0]["code"] == "forbidden"
    allowed = north.push_one("attachments", link, {"caption": "Logo"}, base_version=1)
    assert (allowed["status"], allowed["version"]) == ("applied", 2)


def test_links_are_validated_like_every_record(central: Central) -> None:
    device = central.device(["western_europe"])
    owner = new_id()
    device.push_one("partners", owner, partner())
    answer = device.push_one(
        "attachments", new_id(), attachment(owner, sha256="ABC", role="wallpaper")
    )
    assert answer["status"] == "rejected"
    codes = {(error["field"], error["code"]) for error in answer["errors"]}
    assert codes == {("sha256", "invalid_type"), ("role", "invalid_choice")}
    forums_as_owner = device.push_one("attachments", new_id(), attachment(owner, "forums"))
    assert forums_as_owner["status"] == "rejected"
    assert forums_as_owner["errors"][0]["field"] == "owner_kind"


def test_deleted_links_are_pruned_like_other_tombstones(central: Central) -> None:
    device = central.device(["western_europe"])
    owner, kept, dropped = new_id(), new_id(), new_id()
    device.push(
        device.change("partners", owner, partner()),
        device.change("attachments", kept, attachment(owner)),
        device.change("attachments", dropped, attachment(owner, role="poster")),
    )
    deleted = device.push_one("attachments", dropped, op="delete", base_version=1)
    assert (deleted["status"], deleted["version"]) == ("applied", 2)

    report = prune(central.database, central.settings, older_than=timedelta(0))
    assert report.tombstones == 1
    snapshot, _cursor = device.pull_all()
    assert {item["id"] for item in snapshot} == {owner, kept}
