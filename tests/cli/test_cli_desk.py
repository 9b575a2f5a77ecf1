"""`relay-app desk checkin|counts` in-process, on a real data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import update

from relay_app.cli.desk import check_in
from relay_app.config import resolve_paths
from relay_app.services import Services, open_services
from relay_app.services.badges import badge_payload
from relay_app.store.models import Forum
from tests import factories
from tests.cli.conftest import Cli


def _forum(cli: Cli, json_file: Callable[[Any], str], capacity: int) -> str:
    added = cli("records", "add", "forums", "--json", json_file(factories.forum(capacity=capacity)))
    assert added.code == 0, added.err
    return added.out.strip()


def _register(cli: Cli, json_file: Callable[[Any], str], forum_id: str, name: str, **values: Any) -> str:
    registration = factories.registration(forum_id, first_name=name, **values)
    added = cli("records", "add", "registrations", "--json", json_file(registration))
    assert added.code == 0, added.err
    return added.out.strip()


def test_checkin_admits_then_says_already_in(cli: Cli, json_file: Callable[[Any], str]) -> None:
    forum_id = _forum(cli, json_file, 5)
    awa = _register(cli, json_file, forum_id, "Awa")
    first = cli("desk", "checkin", awa, "--desk", "Laptop A")
    assert first.code == 0 and first.out.startswith("Checked in: Awa Ndiaye (")
    again = cli("desk", "checkin", awa, "--json")
    assert again.code == 0
    answer = again.json()
    assert answer["already_checked_in"] is True and answer["checked_in_by"] == "Laptop A"


def test_checkin_refuses_with_the_reason(cli: Cli, json_file: Callable[[Any], str]) -> None:
    forum_id = _forum(cli, json_file, 1)
    _register(cli, json_file, forum_id, "Awa")
    waiting = _register(cli, json_file, forum_id, "Binta")  # capacity 1: she waits
    cancelled = _register(cli, json_file, forum_id, "Coumba", status="cancelled")
    refused = cli("desk", "checkin", waiting)
    assert refused.code == 1 and "Binta Ndiaye is on the waiting list (place 1)" in refused.err
    refused = cli("desk", "checkin", cancelled)
    assert refused.code == 1 and "registration was cancelled" in refused.err
    unknown = cli("desk", "checkin", "f0f0f0f0-0000-4000-8000-000000000001")
    assert unknown.code == 1 and "No registration with id" in unknown.err


def test_counts_are_people_not_scans(cli: Cli, json_file: Callable[[Any], str]) -> None:
    forum_id = _forum(cli, json_file, 2)
    awa = _register(cli, json_file, forum_id, "Awa")
    _register(cli, json_file, forum_id, "Binta")
    _register(cli, json_file, forum_id, "Coumba")
    _register(cli, json_file, forum_id, "Demba", status="cancelled")
    for _time in range(2):
        assert cli("desk", "checkin", awa).code == 0
    counts = cli("desk", "counts", forum_id, "--json")
    assert counts.code == 0
    assert counts.json() == {
        "capacity": 2, "registered": 2, "waitlisted": 1, "cancelled": 1, "checked_in": 1,
        "over_capacity": 0, "places_to_give": 0, "beyond_capacity": [],
    }
    text = cli("desk", "counts", forum_id)
    assert "Waiting list:" in text.out and "Checked in:" in text.out
    assert cli("desk", "counts", "f0f0f0f0-0000-4000-8000-000000000001").code == 1


def test_a_resolver_turns_what_was_scanned_into_the_registration(
    cli: Cli, json_file: Callable[[Any], str], data_dir: Any, capsys: Any
) -> None:
    """The plug for other ways to name a person: here a made-up badge text."""
    forum_id = _forum(cli, json_file, 5)
    awa = _register(cli, json_file, forum_id, "Awa")

    def from_badge(_services: Services, text: str) -> str:
        assert text == "BADGE-AWA"
        return awa

    class Args:
        registration = "BADGE-AWA"
        desk = "Laptop A"
        json = False

    paths = resolve_paths(data_dir)
    assert check_in(Args(), paths, from_badge) == 0  # type: ignore[arg-type]
    with open_services(paths) as services:
        assert services.check_ins.attendee(awa).checked_in


def test_a_scanned_badge_checks_its_person_in(cli: Cli, json_file: Callable[[Any], str]) -> None:
    """What a USB scanner types from a badge (upper or lower case) admits that person, and an
    unknown badge is one line of reason, exit 1."""
    forum_id = _forum(cli, json_file, 5)
    awa = _register(cli, json_file, forum_id, "Awa")
    admitted = cli("desk", "checkin", "--scan", badge_payload(awa).lower())
    assert admitted.code == 0 and admitted.out.startswith("Checked in: Awa Ndiaye (")
    again = cli("desk", "checkin", "--scan", badge_payload(awa), "--json")
    assert again.code == 0 and again.json()["registration_id"] == awa
    unknown = cli("desk", "checkin", "--scan", "RLBCDEFGHIJKLN")
    assert unknown.code == 1 and "is not known on this computer" in unknown.err
    assert len(unknown.err.strip().splitlines()) == 1
    both = cli("desk", "checkin", awa, "--scan", badge_payload(awa))
    assert both.code == 2


def test_promote_gives_a_free_place_to_the_first_in_line(
    cli: Cli, json_file: Callable[[Any], str], data_dir: Path
) -> None:
    """The place a cancellation synced in from another desk freed: counts say so, promote gives
    it to the first in line, then there is nothing left to give."""
    forum_id = _forum(cli, json_file, 1)
    _register(cli, json_file, forum_id, "Awa")
    binta = _register(cli, json_file, forum_id, "Binta")
    _register(cli, json_file, forum_id, "Coumba")
    with open_services(resolve_paths(data_dir)) as services, services.database.write() as session:
        session.execute(update(Forum).where(Forum.id == forum_id).values(capacity=2))
    counts = cli("desk", "counts", forum_id)
    assert counts.code == 0
    assert f"Places free while people wait: 1 (relay-app desk promote {forum_id})" in counts.out
    given = cli("desk", "promote", forum_id, "--json")
    assert given.code == 0, given.err
    assert [person["registration_id"] for person in given.json()] == [binta]  # oldest first
    assert cli("desk", "counts", forum_id, "--json").json()["places_to_give"] == 0
    again = cli("desk", "promote", forum_id)
    assert again.code == 0
    assert again.out.strip() == "No place to give: the forum is full or nobody is waiting."
    unknown = cli("desk", "promote", "no-such-forum")
    assert unknown.code == 1
