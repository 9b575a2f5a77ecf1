"""Rows of one file that repeat each other: reported like duplicates of existing records (the
earlier row plays the existing record) and skipped, merged or created as decided."""

from __future__ import annotations

from pathlib import Path

import pytest

from relay_app.imports import Duplicates, check, open_import, undo_batch, write
from relay_app.services import Services
from relay_app.services.records import RecordService
from tests.imports.files import write_csv

HEADERS = ["Name", "Member or partner", "College", "Country", "City", "Email", "Website"]
ROWS = [
    ["Coopérative des éleveurs", "Member", "Research and education", "SN", "", "coop@example.org", ""],
    ["Réseau Sahel", "Partner", "Research and education", "BF", "Ouagadougou", "", ""],
    # row 4: the cooperative again (same email), now with a city and a website
    ["Coop. des éleveurs", "Member", "Research and education", "SN", "Thiès", "COOP@example.org",
     "https://coop.example.org"],
    # row 5: the network again (same name and country, case and spacing aside)
    ["réseau  SAHEL", "Partner", "Research and education", "BF", "", "", ""],
    # row 6: only the website of row 4, which repeats row 2: the cooperative a third time
    ["Éleveurs associés", "Member", "Research and education", "SN", "", "", "http://www.coop.example.org/"],
    # row 7: the same name in another country is someone else
    ["Réseau Sahel", "Partner", "Research and education", "ML", "Bamako", "", ""],
]


def _preview(partners: RecordService, tmp_path: Path):  # type: ignore[no-untyped-def]
    return check(partners, open_import(partners, write_csv(tmp_path / "repeats.csv", [HEADERS, *ROWS])))


def test_rows_repeating_earlier_rows_are_reported_with_the_row_they_repeat(
    partners: RecordService, tmp_path: Path
) -> None:
    preview = _preview(partners, tmp_path)
    found = {number: (m.same_row, m.reason, m.record_id) for number, m in preview.duplicates.items()}
    assert found == {4: (2, "email", None), 5: (3, "name", None), 6: (2, "website", None)}
    assert preview.duplicates[4].existing_text() == "same as row 2 (Coopérative des éleveurs)"
    assert preview.duplicates[6].to_json()["same_row"] == 2


def test_by_default_the_repeats_are_held_back(partners: RecordService, tmp_path: Path) -> None:
    outcome = write(partners, _preview(partners, tmp_path))
    assert outcome.created == 3 and [m.row for m in outcome.held_back] == [4, 5, 6]


@pytest.mark.parametrize(("policy", "count"), [(Duplicates.SKIP, 3), (Duplicates.CREATE, 6)])
def test_skip_imports_the_first_row_only_and_create_imports_both(
    partners: RecordService, tmp_path: Path, policy: Duplicates, count: int
) -> None:
    outcome = write(partners, _preview(partners, tmp_path), duplicates=policy)
    assert partners.count() == outcome.created == count
    assert outcome.skipped == (3 if policy is Duplicates.SKIP else 0)


def test_update_puts_the_later_rows_values_on_the_record_of_the_earlier_one(
    services: Services, partners: RecordService, tmp_path: Path
) -> None:
    outcome = write(partners, _preview(partners, tmp_path), duplicates=Duplicates.UPDATE)
    assert (outcome.created, outcome.merged, outcome.updated) == (3, 3, 0)
    stored = {(v.values["country"], v.values["city"]): v.values for v in partners.list()}
    assert set(stored) == {("SN", "Thiès"), ("BF", "Ouagadougou"), ("ML", "Bamako")}
    cooperative = stored[("SN", "Thiès")]
    # row 6's name is the last non-empty one given; row 4's city and website stay (row 6 left them empty)
    assert (cooperative["name"], cooperative["website"], cooperative["email"]) == (
        "Éleveurs associés", "http://www.coop.example.org/", "COOP@example.org"
    )
    assert outcome.batch_id is not None
    assert undo_batch(services.database, partners, outcome.batch_id).deleted == 3
    assert partners.count() == 0


def test_a_row_like_an_existing_record_is_that_records_duplicate_not_an_earlier_rows(
    partners: RecordService, tmp_path: Path
) -> None:
    here = partners.create({"name": "Coopérative des éleveurs", "kind": "member",
                            "college": "research_education", "country": "SN", "email": "coop@example.org"})
    preview = _preview(partners, tmp_path)
    assert (preview.duplicates[2].record_id, preview.duplicates[4].record_id) == (here.id, here.id)
    # row 6 shares only row 4's website: the record row 4 looks like is row 6's too
    assert (preview.duplicates[6].record_id, preview.duplicates[6].same_row) == (here.id, None)
    assert preview.duplicates[6].existing_text() == "Coopérative des éleveurs"
    assert preview.duplicates[5].same_row == 3  # the network is new: its repeat is an in-file one


def test_rows_that_name_their_own_ids_are_those_records_not_repeats(
    partners: RecordService, tmp_path: Path
) -> None:
    """An export read back into a fresh folder: two partners sharing a contact address keep
    their ids and are both created; an id-less row with that address still repeats the first."""
    college = "Research and education"
    first, second = "0b9e4f2a-5c1d-4e8f-9a7b-3c2d1e0f9a8b", "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918"
    rows = [
        ["id", *HEADERS],
        [first, "Union des coopératives", "Member", college, "SN", "", "info@union.org", ""],
        [second, "Coopérative de Kaolack", "Member", college, "SN", "", "info@union.org", ""],
        ["", "Union des coop.", "Member", college, "SN", "Thiès", "INFO@union.org", ""],
    ]
    preview = check(partners, open_import(partners, write_csv(tmp_path / "export.csv", rows)))
    assert {number: m.same_row for number, m in preview.duplicates.items()} == {4: 2}
    outcome = write(partners, preview)
    assert outcome.created == 2 and [m.row for m in outcome.held_back] == [4]
    assert {view.id for view in partners.list()} == {first, second}
