"""Whole-record validation: clean records, defaults, derivations, relevance, cross-field rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from relay_app.forms import KINDS, METADATA_KEYS, form_for
from relay_app.i18n import _, set_language
from tests.forms.samples import FORUM_ID, PARTNER_ID, good_record


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


@pytest.mark.parametrize("kind", KINDS)
def test_good_record_validates_cleanly(kind: str) -> None:
    result = form_for(kind).validate(good_record(kind))

    assert result.errors == []
    assert result.ok


@pytest.mark.parametrize("kind", KINDS)
def test_cleaned_record_holds_every_field_in_form_order(kind: str) -> None:
    form = form_for(kind)

    result = form.validate({})

    assert tuple(result.cleaned) == form.field_names()


def test_cleaned_partner_is_typed() -> None:
    cleaned = form_for("partners").validate(good_record("partners")).cleaned

    assert cleaned["latitude"] == pytest.approx(48.8566)
    assert cleaned["longitude"] == pytest.approx(2.3522)
    assert cleaned["languages"] == ["fr", "en"]
    assert cleaned["address"] == "147 rue de l'Université\n75007 Paris"


def test_cleaned_practice_is_typed() -> None:
    cleaned = form_for("practices").validate(good_record("practices")).cleaned

    assert cleaned["start_year"] == 2015 and isinstance(cleaned["start_year"], int)
    assert cleaned["area_ha"] == 12.5
    assert cleaned["soc_before_t_ha"] == 30.0 and isinstance(cleaned["soc_before_t_ha"], float)
    assert cleaned["partner_id"] == PARTNER_ID


def test_cleaned_registration_is_typed() -> None:
    cleaned = form_for("registrations").validate(good_record("registrations")).cleaned

    assert cleaned["travel_support"] is True
    assert cleaned["consent"] is True
    assert cleaned["forum_id"] == FORUM_ID


def test_empty_record_lists_every_missing_required_field() -> None:
    result = form_for("partners").validate({})

    assert [(e.field, e.code) for e in result.errors] == [
        ("name", "required"),
        ("kind", "required"),
        ("college", "required"),
        ("country", "required"),
    ]


def test_all_errors_are_collected_at_most_one_per_field() -> None:
    record = good_record("partners")
    record.update(name="", email="nope", latitude="north", longitude=500, extra="x")

    result = form_for("partners").validate(record)

    fields = [error.field for error in result.errors]
    assert fields == ["name", "latitude", "longitude", "email", "extra"]
    assert len(fields) == len(set(fields))


def test_metadata_keys_are_ignored() -> None:
    record = good_record("forums")
    record.update({key: "anything" for key in METADATA_KEYS})

    result = form_for("forums").validate(record)

    assert result.ok
    assert not METADATA_KEYS & set(result.cleaned)


def test_defaults_fill_absent_fields() -> None:
    partner = good_record("partners")
    del partner["status"]
    registration = good_record("registrations")
    del registration["status"], registration["travel_support"]

    partner_cleaned = form_for("partners").validate(partner).cleaned
    registration_cleaned = form_for("registrations").validate(registration).cleaned

    assert partner_cleaned["status"] == "active"
    assert registration_cleaned["status"] == "registered"
    assert registration_cleaned["travel_support"] is False


def test_list_defaults_are_not_shared_between_records() -> None:
    form = form_for("forums")
    first = form.validate({})
    first.cleaned["languages"].append("fr")

    second = form.validate({})

    assert second.cleaned["languages"] == []


@pytest.mark.parametrize(
    ("kind", "country", "region"),
    [("partners", "BR", "latin_america_caribbean"), ("practices", "KE", "sub_saharan_africa"),
     ("forums", "VN", "south_eastern_asia")],
)
def test_region_is_derived_from_country_when_empty(kind: str, country: str, region: str) -> None:
    record = good_record(kind)
    record.update(country=country, region="")

    result = form_for(kind).validate(record)

    assert result.ok
    assert result.cleaned["region"] == region


def test_given_region_is_kept_even_if_the_country_lies_elsewhere() -> None:
    record = good_record("forums")
    record.update(country="SN", region="western_europe")

    assert form_for("forums").validate(record).cleaned["region"] == "western_europe"


def test_forum_region_derived_from_country_is_no_longer_missing() -> None:
    record = good_record("forums")
    record.update(region=None, country="PE")

    result = form_for("forums").validate(record)

    assert result.ok
    assert result.cleaned["region"] == "latin_america_caribbean"


def test_invalid_country_is_reported_once_and_region_left_empty() -> None:
    record = good_record("forums")
    record.update(region=None, country="Atlantis")

    result = form_for("forums").validate(record)

    assert [(e.field, e.code) for e in result.errors] == [("country", "invalid_choice")]
    assert result.cleaned["region"] is None


def test_soc_details_do_not_apply_without_stocks() -> None:
    record = good_record("practices")
    record.update(soc_before_t_ha=None, soc_after_t_ha=None)

    result = form_for("practices").validate(record)

    assert [(e.field, e.code) for e in result.errors] == [
        ("soc_depth_cm", "not_relevant"),
        ("soc_years", "not_relevant"),
        ("soc_method", "not_relevant"),
    ]
    assert result.cleaned["soc_depth_cm"] is None and result.cleaned["soc_method"] is None


def test_one_stock_makes_details_relevant_but_not_required() -> None:
    record = good_record("practices")
    record.update(soc_after_t_ha=None, soc_depth_cm=None, soc_years=None, soc_method=None)

    result = form_for("practices").validate(record)

    assert result.ok
    assert result.cleaned["soc_before_t_ha"] == 30.0


def test_details_are_not_judged_against_a_stock_that_failed() -> None:
    record = good_record("practices")
    record.update(soc_before_t_ha="thirty", soc_after_t_ha=None)

    result = form_for("practices").validate(record)

    assert [(e.field, e.code) for e in result.errors] == [("soc_before_t_ha", "invalid_type")]
    assert result.cleaned["soc_method"] == "Dry combustion of 0-30 cm cores"


def test_check_in_chain_clears_both_fields_when_cancelled() -> None:
    record = good_record("registrations")
    record.update(status="cancelled", checked_in_at="2024-11-12T08:15:00Z", checked_in_by="Desk 1")

    result = form_for("registrations").validate(record)

    assert [(e.field, e.code) for e in result.errors] == [
        ("checked_in_at", "not_relevant"),
        ("checked_in_by", "not_relevant"),
    ]
    assert result.cleaned["checked_in_at"] is None
    assert result.cleaned["checked_in_by"] is None


def test_checked_in_registration_is_valid() -> None:
    record = good_record("registrations")
    record.update(checked_in_at="2024-11-12T09:15:00+01:00", checked_in_by="Desk 1")

    result = form_for("registrations").validate(record)

    assert result.ok
    assert result.cleaned["checked_in_at"] == datetime(2024, 11, 12, 8, 15, tzinfo=UTC)


def test_same_day_forum_is_in_order() -> None:
    record = good_record("forums")
    record.update(start_date="2024-11-12", end_date=date(2024, 11, 12))

    assert form_for("forums").validate(record).ok


def test_date_order_is_not_checked_when_a_date_is_invalid() -> None:
    record = good_record("forums")
    record.update(start_date="2024-13-01", end_date="2024-01-01")

    result = form_for("forums").validate(record)

    assert [(e.field, e.code) for e in result.errors] == [("start_date", "invalid_type")]


def test_record_without_any_position_is_valid() -> None:
    record = good_record("partners")
    record.update(latitude=None, longitude=None)

    assert form_for("partners").validate(record).ok


def test_coordinates_rule_skips_a_longitude_that_failed() -> None:
    record = good_record("partners")
    record.update(longitude="east")

    result = form_for("partners").validate(record)

    assert [(e.field, e.code) for e in result.errors] == [("longitude", "invalid_type")]


def test_error_params_carry_the_limits() -> None:
    record = good_record("partners")
    record.update(name="n" * 250, latitude=-95)

    result = form_for("partners").validate(record)

    too_long = result.error_for("name")
    out_of_range = result.error_for("latitude")
    assert too_long is not None and too_long.params["max"] == 200
    assert out_of_range is not None and out_of_range.params["min"] == -90
    assert out_of_range.params["max"] == 90
    assert result.error_for("city") is None


def test_messages_name_the_field_and_limits_in_english() -> None:
    record = good_record("partners")
    record.update(name="", acronym="A" * 40, latitude=100)

    result = form_for("partners").validate(record)

    messages = {error.field: error.message for error in result.errors}
    assert messages["name"] == "Name is required."
    assert messages["acronym"] == "Acronym must be at most 30 characters."
    assert messages["latitude"] == "Latitude must be between -90 and 90."


@pytest.mark.usefixtures("french")
def test_messages_are_translated_at_validation_time() -> None:
    form = form_for("registrations")
    record = good_record("registrations")
    record.update(first_name="", consent=False, email="nobody", role="chef")

    result = form.validate(record)

    assert [error.field for error in result.errors] == ["first_name", "email", "role", "consent"]
    for error in result.errors:
        assert isinstance(error.message, str) and error.message
        assert _(form.field(error.field or "").label) in error.message


def test_to_json_writes_dates_as_iso_text() -> None:
    forum = form_for("forums")
    registration = form_for("registrations")
    record = good_record("registrations")
    record.update(checked_in_at="2024-11-12T08:15:00Z", checked_in_by="Desk 1")

    forum_json = forum.to_json(forum.validate(good_record("forums")).cleaned)
    registration_json = registration.to_json(registration.validate(record).cleaned)

    assert forum_json["start_date"] == "2024-11-12"
    assert forum_json["languages"] == ["fr", "en", "wo"]
    assert registration_json["checked_in_at"] == "2024-11-12T08:15:00+00:00"
    assert json.loads(json.dumps(registration_json)) == registration_json


def test_to_json_output_validates_back_to_the_same_record() -> None:
    form = form_for("registrations")
    record = good_record("registrations")
    record.update(checked_in_at="2024-11-12T08:15:00Z", checked_in_by="Desk 1")
    cleaned = form.validate(record).cleaned

    again = form.validate(form.to_json(cleaned))

    assert again.ok
    assert again.cleaned == cleaned


def test_summaries() -> None:
    assert form_for("partners").summary(good_record("partners")) == (
        "Institut national de recherche pour l'agriculture (INRAE)"
    )
    assert form_for("practices").summary(good_record("practices")) == "Mulching with crop residues"
    assert form_for("forums").summary(good_record("forums")) == "West Africa regional forum"
    assert form_for("registrations").summary(good_record("registrations")) == "Aminata Diallo"
    assert form_for("registrations").summary({"last_name": "Diallo"}) == "Diallo"
    assert form_for("partners").summary({}) == "(untitled)"


def test_validate_rejects_a_non_mapping() -> None:
    with pytest.raises(TypeError):
        form_for("partners").validate([("name", "x")])  # type: ignore[arg-type]
