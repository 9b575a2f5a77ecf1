"""Columns found by name or label in three languages; labels of code lists read as codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relay_app.forms import form_for
from relay_app.imports.mapping import (
    BY_FILE,
    BY_LABEL,
    BY_MEMORY,
    BY_NAME,
    UNMATCHED,
    match_columns,
    read_mapping_file,
)
from relay_app.imports.memory import remember, remembered
from relay_app.imports.values import ValueReader
from relay_app.services import Services
from relay_app.transfer import TransferError


def test_headers_in_french_spanish_and_english_find_their_fields() -> None:
    headers = ["Nom", "  PAÍS ", "college", "Membre ou partenaire", "E-mail", "Sitio web", "Notes internes"]
    mapping = match_columns("partners", headers)
    assert [(c.field, c.how) for c in mapping.columns] == [
        ("name", BY_LABEL), ("country", BY_LABEL), ("college", BY_NAME), ("kind", BY_LABEL),
        ("email", BY_NAME), ("website", BY_LABEL), (None, UNMATCHED),
    ]
    assert [c.header for c in mapping.ignored()] == ["Notes internes"]


def test_an_unmatched_header_gets_close_fields_as_suggestions() -> None:
    column = match_columns("partners", ["Nom", "Websit", "Adresse postale"]).columns
    assert column[1].field is None and column[1].suggestions[0] == "website"
    assert column[2].field is None and "address" in column[2].suggestions


def test_two_columns_never_fill_one_field_unless_a_person_says_so() -> None:
    mapping = match_columns("partners", ["Name", "Nom"])
    assert [c.field for c in mapping.columns] == ["name", None]
    chosen = mapping.choose("Nom", "name")
    assert len(chosen.problems()) == 1 and "Nom" in chosen.problems()[0]


def test_a_mapping_file_and_a_remembered_mapping_come_before_names(
    services: Services, tmp_path: Path
) -> None:
    headers = ["Raison sociale", "Pays", "Nom"]
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps({"Raison sociale": "name", "Nom": None}), encoding="utf-8")
    given = read_mapping_file(path, "partners")
    mapping = match_columns("partners", headers, given=given)
    assert [(c.field, c.how) for c in mapping.columns] == [
        ("name", BY_FILE), ("country", BY_LABEL), (None, BY_FILE)
    ]
    remember(services.database, mapping)
    again = remembered(services.database, "partners", ["nom", "PAYS", "raison sociale"])  # same set
    assert again == {"Raison sociale": "name", "Pays": "country", "Nom": None}
    second = match_columns("partners", headers, remembered=again)
    assert {c.how for c in second.columns} == {BY_MEMORY}


def test_a_mapping_file_naming_no_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps({"Nom": "nickname"}), encoding="utf-8")
    with pytest.raises(TransferError, match="nickname"):
        read_mapping_file(path, "partners")


@pytest.mark.parametrize(
    ("field", "written", "code"),
    [
        ("country", "Sénégal", "SN"), ("country", "senegal", "SN"), ("country", "SN", "SN"),
        ("country", "Perú", "PE"), ("country", "Côte d’Ivoire", "CI"),
        ("college", "Recherche et formation", "research_education"),
        ("college", "Investigación y educación", "research_education"),
        ("college", "research_education", "research_education"),
        ("kind", "Partenaire", "partner"),
    ],
)
def test_code_list_labels_in_any_language_become_codes(field: str, written: str, code: str) -> None:
    assert ValueReader(form_for("partners")).read({field: written})[field] == code


def test_multi_choice_labels_are_read_item_by_item() -> None:
    read = ValueReader(form_for("partners")).read({"languages": "Français; anglais ;es"})
    assert read["languages"] == ["fr", "en", "es"]
