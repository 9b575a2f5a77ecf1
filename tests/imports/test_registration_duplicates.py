"""Participants are duplicates only within one forum: the same person on another forum's list is
another registration, and "update" never moves anyone from one forum to another.

What was tried: Mariama registered for the Dakar forum; the Niamey forum's list names her with the
same email, phone and name (no duplicate, a second registration, Dakar's left as it was); Dakar's
own list again (her Dakar registration is the duplicate); one sheet with her once per forum (not a
repeat) and twice for one forum (a repeat).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from relay_app.imports import Duplicates, check, open_import, write
from relay_app.services import Services
from relay_app.services.records import RecordService
from tests import factories
from tests.imports.files import write_csv

HEADERS = ["Forum", "First name", "Last name", "Email", "Phone", "Role",
           "Consent to the processing of personal data"]


@pytest.fixture
def forums(services: Services) -> tuple[str, str]:
    records = services.records("forums")
    dakar = records.create(factories.forum(name="Forum de Dakar"))
    niamey = records.create(factories.forum(name="Forum de Niamey"))
    return dakar.id, niamey.id


@pytest.fixture
def registrations(services: Services) -> RecordService:
    return services.records("registrations")


def _mariama(forum: str, phone: str = "+221 77 123 45 67") -> list[str]:
    return [forum, "Mariama", "Kouyaté", "mariama@example.org", phone, "Farmer", "yes"]


def _sheet(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    return write_csv(tmp_path / name, [HEADERS, *rows])


def test_the_same_person_on_another_forums_list_is_another_registration(
    registrations: RecordService, forums: tuple[str, str], tmp_path: Path
) -> None:
    dakar, niamey = forums
    first = write(registrations, check(registrations, open_import(
        registrations, _sheet(tmp_path, "dakar.csv", [_mariama("Forum de Dakar")]))))
    assert first.created == 1
    [in_dakar] = registrations.list()

    preview = check(registrations, open_import(
        registrations, _sheet(tmp_path, "niamey.csv", [_mariama("Forum de Niamey", "77 999 99 99")])))
    assert preview.duplicates == {}
    outcome = write(registrations, preview, duplicates=Duplicates.UPDATE)
    assert (outcome.created, outcome.updated) == (1, 0)
    assert registrations.get(in_dakar.id).values == in_dakar.values  # not moved, not changed
    assert sorted(view.values["forum_id"] for view in registrations.list()) == sorted([dakar, niamey])

    again = check(registrations, open_import(
        registrations, _sheet(tmp_path, "dakar-again.csv", [_mariama("Forum de Dakar")])))
    assert {number: match.record_id for number, match in again.duplicates.items()} == {2: in_dakar.id}


def test_one_sheet_for_two_forums_repeats_a_person_only_within_a_forum(
    registrations: RecordService, forums: tuple[str, str], tmp_path: Path
) -> None:
    preview = check(registrations, open_import(registrations, _sheet(tmp_path, "both.csv", [
        _mariama("Forum de Dakar"), _mariama("Forum de Niamey"), _mariama("Forum de Dakar"),
    ])))
    assert {number: match.same_row for number, match in preview.duplicates.items()} == {4: 2}
