"""Each rule, on each kind of field: a good record with one bad change gets exactly one error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from relay_app.forms import ERROR_CODES, FieldType, form_for
from tests.forms.samples import good_record

NEXT_YEAR_PLUS_ONE = datetime.now(UTC).year + 2

# (kind, changes applied to a good record, field expected in error, expected code)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    # partners
    ("partners", {"name": ""}, "name", "required"),
    ("partners", {"name": "   "}, "name", "required"),
    ("partners", {"name": "n" * 201}, "name", "too_long"),
    ("partners", {"acronym": "A" * 31}, "acronym", "too_long"),
    ("partners", {"name": ["INRAE", "CIRAD"]}, "name", "invalid_type"),
    ("partners", {"kind": "sponsor"}, "kind", "invalid_choice"),
    ("partners", {"kind": None}, "kind", "required"),
    ("partners", {"college": "farmers"}, "college", "invalid_choice"),
    ("partners", {"country": "XX"}, "country", "invalid_choice"),
    ("partners", {"country": "EU"}, "country", "invalid_choice"),
    ("partners", {"country": 250}, "country", "invalid_choice"),
    ("partners", {"region": "europe"}, "region", "invalid_choice"),
    ("partners", {"city": "c" * 101}, "city", "too_long"),
    ("partners", {"address": "a" * 501}, "address", "too_long"),
    ("partners", {"latitude": "north"}, "latitude", "invalid_type"),
    ("partners", {"latitude": True}, "latitude", "invalid_type"),
    ("partners", {"latitude": "nan"}, "latitude", "invalid_type"),
    ("partners", {"latitude": 90.0001}, "latitude", "out_of_range"),
    ("partners", {"longitude": "-180.5"}, "longitude", "out_of_range"),
    ("partners", {"latitude": None}, "latitude", "coordinates_incomplete"),
    ("partners", {"longitude": ""}, "longitude", "coordinates_incomplete"),
    ("partners", {"website": "www.inrae.fr"}, "website", "invalid_url"),
    ("partners", {"website": "ftp://inrae.fr"}, "website", "invalid_url"),
    ("partners", {"website": "https://"}, "website", "invalid_url"),
    ("partners", {"website": "https://inrae .fr"}, "website", "invalid_url"),
    ("partners", {"website": "https://inrae.fr/" + "p" * 300}, "website", "too_long"),
    ("partners", {"email": "contact@"}, "email", "invalid_email"),
    ("partners", {"email": "contact inrae@inrae.fr"}, "email", "invalid_email"),
    ("partners", {"email": "contact@inrae"}, "email", "invalid_email"),
    ("partners", {"email": "contact..x@inrae.fr"}, "email", "invalid_email"),
    ("partners", {"phone": "12345"}, "phone", "invalid_phone"),
    ("partners", {"phone": "1" * 21}, "phone", "invalid_phone"),
    ("partners", {"phone": "+33 1 42 75 90 00 ext 4"}, "phone", "invalid_phone"),
    ("partners", {"languages": "fr; xx"}, "languages", "invalid_choice"),
    ("partners", {"languages": 42}, "languages", "invalid_type"),
    ("partners", {"description": "d" * 10001}, "description", "too_long"),
    ("partners", {"status": "dormant"}, "status", "invalid_choice"),
    ("partners", {"colour": "green"}, "colour", "unknown_field"),
    ("partners", {"name": "Institut\ud800"}, "name", "invalid_text"),
    ("partners", {"address": "1 rue\udfff"}, "address", "invalid_text"),
    ("partners", {"email": "a\udc80@inrae.fr"}, "email", "invalid_text"),
    ("partners", {"country": "F\ud800"}, "country", "invalid_text"),
    ("partners", {"languages": ["fr", "\udc00"]}, "languages", "invalid_text"),
    # practices
    ("practices", {"title": None}, "title", "required"),
    ("practices", {"summary": "s" * 1001}, "summary", "too_long"),
    ("practices", {"tutorial_steps": ["step"] * 51}, "tutorial_steps", "too_long"),
    ("practices", {"tutorial_steps": ["ok", "x" * 2001]}, "tutorial_steps", "too_long"),
    ("practices", {"tutorial_steps": [["nested"]]}, "tutorial_steps", "invalid_type"),
    ("practices", {"conceptual_basis": "intuition"}, "conceptual_basis", "invalid_choice"),
    ("practices", {"land_use": ""}, "land_use", "required"),
    ("practices", {"category": "magic"}, "category", "invalid_choice"),
    ("practices", {"climate_zone": "temperate"}, "climate_zone", "invalid_choice"),
    ("practices", {"soil_group": "XX"}, "soil_group", "invalid_choice"),
    ("practices", {"country": None}, "country", "required"),
    ("practices", {"area_ha": -1}, "area_ha", "out_of_range"),
    ("practices", {"area_ha": "12,5 ha"}, "area_ha", "invalid_type"),
    ("practices", {"start_year": "2015.5"}, "start_year", "invalid_type"),
    ("practices", {"start_year": 2015.5}, "start_year", "invalid_type"),
    ("practices", {"start_year": False}, "start_year", "invalid_type"),
    ("practices", {"start_year": 1899}, "start_year", "out_of_range"),
    ("practices", {"start_year": NEXT_YEAR_PLUS_ONE}, "start_year", "out_of_range"),
    ("practices", {"soc_before_t_ha": 2000.5}, "soc_before_t_ha", "out_of_range"),
    ("practices", {"soc_depth_cm": 0.5}, "soc_depth_cm", "out_of_range"),
    ("practices", {"soc_years": 0}, "soc_years", "out_of_range"),
    ("practices", {"soc_years": "201"}, "soc_years", "out_of_range"),
    ("practices", {"soc_depth_cm": None}, "soc_depth_cm", "required"),
    ("practices", {"soc_years": ""}, "soc_years", "required"),
    (
        "practices",
        {"soc_before_t_ha": None, "soc_after_t_ha": None, "soc_depth_cm": None, "soc_years": None},
        "soc_method",
        "not_relevant",
    ),
    ("practices", {"soc_method": "m" * 501}, "soc_method", "too_long"),
    ("practices", {"partner_id": "not-a-uuid"}, "partner_id", "invalid_reference"),
    ("practices", {"partner_id": 12}, "partner_id", "invalid_reference"),
    # forums
    ("forums", {"name": ""}, "name", "required"),
    ("forums", {"region": None, "country": None}, "region", "required"),
    ("forums", {"country": "Senegal"}, "country", "invalid_choice"),
    ("forums", {"venue": "v" * 201}, "venue", "too_long"),
    ("forums", {"start_date": "12/11/2024"}, "start_date", "invalid_type"),
    ("forums", {"start_date": "2024-02-30"}, "start_date", "invalid_type"),
    ("forums", {"end_date": None}, "end_date", "required"),
    ("forums", {"end_date": "2024-11-11"}, "end_date", "date_order"),
    ("forums", {"end_date": datetime(2024, 11, 14, 9, 30)}, "end_date", "invalid_type"),
    ("forums", {"capacity": 0}, "capacity", "out_of_range"),
    ("forums", {"capacity": 100_001}, "capacity", "out_of_range"),
    ("forums", {"capacity": "many"}, "capacity", "invalid_type"),
    ("forums", {"languages": ["fr", "klingon"]}, "languages", "invalid_choice"),
    ("forums", {"description": "d" * 5001}, "description", "too_long"),
    ("forums", {"dirty": True}, "dirty", "unknown_field"),
    # registrations
    ("registrations", {"forum_id": None}, "forum_id", "required"),
    ("registrations", {"forum_id": "12345"}, "forum_id", "invalid_reference"),
    ("registrations", {"first_name": "f" * 101}, "first_name", "too_long"),
    ("registrations", {"last_name": ""}, "last_name", "required"),
    ("registrations", {"college": "students"}, "college", "invalid_choice"),
    ("registrations", {"email": "aminata@localhost"}, "email", "invalid_email"),
    ("registrations", {"phone": "call me"}, "phone", "invalid_phone"),
    ("registrations", {"role": "chef"}, "role", "invalid_choice"),
    ("registrations", {"role": None}, "role", "required"),
    ("registrations", {"travel_support": "perhaps"}, "travel_support", "invalid_type"),
    ("registrations", {"travel_support": 2}, "travel_support", "invalid_type"),
    ("registrations", {"consent": False}, "consent", "must_be_true"),
    ("registrations", {"consent": "non"}, "consent", "must_be_true"),
    ("registrations", {"consent": None}, "consent", "required"),
    ("registrations", {"consent": "maybe"}, "consent", "invalid_type"),
    ("registrations", {"status": "attended"}, "status", "invalid_choice"),
    ("registrations", {"checked_in_at": "yesterday"}, "checked_in_at", "invalid_type"),
    ("registrations", {"checked_in_by": "Desk 1"}, "checked_in_by", "not_relevant"),
    (
        "registrations",
        {"status": "cancelled", "checked_in_at": "2024-11-12T08:15:00Z"},
        "checked_in_at",
        "not_relevant",
    ),
    (
        "registrations",
        {"checked_in_at": "2024-11-12T08:15:00Z", "checked_in_by": "b" * 101},
        "checked_in_by",
        "too_long",
    ),
]


def _case_id(case: tuple[str, dict[str, Any], str, str]) -> str:
    kind, changes, field, code = case
    return f"{kind}-{field}-{code}-{'+'.join(changes)}"


@pytest.mark.parametrize(("kind", "changes", "field", "code"), CASES, ids=map(_case_id, CASES))
def test_bad_value_is_rejected_on_its_field_with_its_code(
    kind: str, changes: dict[str, Any], field: str, code: str
) -> None:
    record = good_record(kind)
    record.update(changes)

    result = form_for(kind).validate(record)

    assert [(error.field, error.code) for error in result.errors] == [(field, code)]
    assert not result.ok
    assert isinstance(result.errors[0].message, str) and result.errors[0].message


def test_the_table_covers_every_error_code() -> None:
    assert {code for *_, code in CASES} == set(ERROR_CODES)


def test_the_table_covers_every_field_type() -> None:
    covered = set()
    for kind, _changes, field, _code in CASES:
        form = form_for(kind)
        if field in form.field_names():
            covered.add(form.field(field).type)
    assert covered == set(FieldType)
