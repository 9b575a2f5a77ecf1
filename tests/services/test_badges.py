"""Badge payloads, label sheets and the print log, on a real store (no Qt)."""

from __future__ import annotations

import itertools
import stat
import uuid

import pytest

from relay_app.config import Paths
from relay_app.services import Services
from relay_app.services.badges import (
    BADGE_ALPHABET,
    SHEET_LAYOUTS,
    BadgePrintLog,
    badge_payload,
    forum_badges,
    id_prefix_of,
    qr_version,
    registration_for_scan,
)
from tests import factories

# Letters whose key differs between US QWERTY, AZERTY and QWERTZ (A/Q, Z/W swap on AZERTY, M moves
# there, Y/Z swap on QWERTZ); and digits, which AZERTY types as &é"'(-è_çà without Shift.
MOVING_KEYS = set("AQZWMY0123456789")


def test_payload_keys_are_the_same_on_french_spanish_and_german_keyboards() -> None:
    """Tried: the payloads of 500 random ids. Every character is an upper-case letter that a
    scanner pretending to be a US keyboard types unchanged on AZERTY, QWERTZ and Spanish layouts."""
    assert not MOVING_KEYS & set(BADGE_ALPHABET)
    for _count in range(500):
        payload = badge_payload(str(uuid.uuid4()))
        assert payload.isalpha() and payload.isupper()
        assert not MOVING_KEYS & set(payload), payload


def test_payload_is_a_version_1_qr_code_and_reads_back_to_the_id() -> None:
    """Tried: the smallest and largest 48-bit prefixes and random ids. segno makes a version 1
    code (21 x 21 modules) at level Q, and the letters give back the id's first 12 hex digits."""
    ids = ["00000000-0000-4000-8000-000000000000", "ffffffff-ffff-4fff-bfff-ffffffffffff"]
    ids += [str(uuid.uuid4()) for _count in range(50)]
    for registration_id in ids:
        payload = badge_payload(registration_id)
        assert qr_version(payload) == 1
        assert id_prefix_of(payload) == registration_id[:13]
        assert id_prefix_of(payload.lower()) == registration_id[:13]  # Caps Lock on


def test_a_scan_finds_the_registration_and_nothing_else(services: Services) -> None:
    """Tried: a badge's payload, the same in lower case, a payload no one has, a name, a payload of
    a deleted registration. Only the first two find someone."""
    forum_id = services.records("forums").create(factories.forum()).id
    registrations = services.records("registrations")
    awa = registrations.create(factories.registration(forum_id)).id
    gone = registrations.create(factories.registration(forum_id, first_name="Jean")).id
    registrations.delete(gone)
    assert registration_for_scan(services.database, badge_payload(awa)) == awa
    assert registration_for_scan(services.database, " " + badge_payload(awa).lower() + "\n") == awa
    assert registration_for_scan(services.database, badge_payload(str(uuid.uuid4()))) is None
    assert registration_for_scan(services.database, "Awa") is None
    assert registration_for_scan(services.database, badge_payload(gone)) is None


def test_badges_are_for_standing_registrations_only(services: Services) -> None:
    """Tried: a forum with a registered, a waitlisted and a cancelled participant: one badge,
    with the country and role in words."""
    forum_id = services.records("forums").create(factories.forum()).id
    registrations = services.records("registrations")
    awa = registrations.create(factories.registration(forum_id)).id
    registrations.create(factories.registration(forum_id, first_name="Wait", status="waitlisted"))
    registrations.create(factories.registration(forum_id, first_name="Gone", status="cancelled"))
    badges = forum_badges(registrations, services.records("forums"), forum_id)
    assert [badge.registration_id for badge in badges] == [awa]
    assert badges[0].country == "Senegal" and badges[0].role == "Farmer"
    assert badges[0].payload == badge_payload(awa)


@pytest.mark.parametrize("key", sorted(SHEET_LAYOUTS))
def test_every_label_of_a_sheet_is_on_the_page_and_apart(key: str) -> None:
    layout = SHEET_LAYOUTS[key]
    labels = [layout.label(index) for index in range(layout.per_page)]
    for label in labels:
        assert label.x >= 0 and label.x + label.width <= layout.page_width
        assert label.y >= 0 and label.y + label.height <= layout.page_height
    for first, second in itertools.pairwise(labels):
        apart = first.x + first.width <= second.x + 0.01 or first.y + first.height <= second.y + 0.01
        assert apart


def test_print_log_remembers_first_print_and_is_private(paths: Paths, services: Services) -> None:
    log = BadgePrintLog(paths)
    assert log.printed(["a", "b"]) == {}
    log.note(["a"])
    first = log.printed(["a", "b"])
    log.note(["a", "b"])
    again = log.printed(["a", "b"])
    assert set(first) == {"a"} and again["a"] == first["a"] and set(again) == {"a", "b"}
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
