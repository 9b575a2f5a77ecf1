"""The form definitions themselves: the public field contract and what the UI reads from them."""

from __future__ import annotations

import pytest

from relay_app import codelists
from relay_app.forms import (
    KINDS,
    AllSet,
    AnySet,
    Equals,
    Field,
    FieldType,
    Form,
    IsSet,
    form_for,
)

FIELD_CONTRACT = {
    "partners": (
        "name", "acronym", "kind", "college", "country", "region", "city", "address", "latitude",
        "longitude", "website", "email", "phone", "languages", "activities", "interests",
        "description", "status",
    ),
    "practices": (
        "title", "summary", "description", "tutorial_steps", "conceptual_basis", "land_use",
        "category", "climate_zone", "soil_group", "country", "region", "latitude", "longitude",
        "area_ha", "start_year", "soc_before_t_ha", "soc_after_t_ha", "soc_depth_cm", "soc_years",
        "soc_method", "costs", "co_benefits", "references", "partner_id",
    ),
    "forums": (
        "name", "region", "country", "city", "venue", "start_date", "end_date", "capacity",
        "languages", "description",
    ),
    "registrations": (
        "forum_id", "first_name", "last_name", "organisation", "college", "country", "email",
        "phone", "role", "travel_support", "consent", "status", "checked_in_at", "checked_in_by",
        "registered_at",
        "merged_into",
    ),
}

REQUIRED = {
    "partners": {"name", "kind", "college", "country"},
    "practices": {"title", "land_use", "category", "country"},
    "forums": {"name", "region", "start_date", "end_date"},
    "registrations": {"forum_id", "first_name", "last_name", "role", "consent"},
}


def test_kinds() -> None:
    assert KINDS == ("partners", "practices", "forums", "registrations")


@pytest.mark.parametrize("kind", KINDS)
def test_field_names_are_the_public_contract(kind: str) -> None:
    form = form_for(kind)

    assert form.kind == kind
    assert form.field_names() == FIELD_CONTRACT[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_required_fields(kind: str) -> None:
    form = form_for(kind)

    assert {field.name for field in form.fields if field.required} == REQUIRED[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_every_choice_field_names_an_existing_code_list(kind: str) -> None:
    for field in form_for(kind).fields:
        if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
            assert field.codelist in codelists.names(), field.name
            assert len(codelists.get(field.codelist)) > 0


@pytest.mark.parametrize("kind", KINDS)
def test_labels_and_defaults_are_sound(kind: str) -> None:
    form = form_for(kind)

    assert form.label == kind.capitalize()
    for field in form.fields:
        assert field.label.strip(), field.name
        if field.default is not None and field.codelist is not None:
            assert field.default in codelists.get(field.codelist)


def test_field_types_and_limits() -> None:
    partners, practices = form_for("partners"), form_for("practices")

    assert partners.field("latitude").type is FieldType.DECIMAL
    assert (partners.field("latitude").minimum, partners.field("latitude").maximum) == (-90, 90)
    assert partners.field("latitude").unit == "°"
    assert practices.field("soc_before_t_ha").unit == "t C/ha"
    assert practices.field("tutorial_steps").max_items == 50
    assert practices.field("partner_id").reference == "partners"
    assert form_for("registrations").field("forum_id").reference == "forums"
    assert practices.field("start_year").minimum_value() == 1900
    assert isinstance(practices.field("start_year").maximum_value(), int)


def test_conditions_say_what_they_depend_on() -> None:
    registrations, practices = form_for("registrations"), form_for("practices")

    assert registrations.field("checked_in_at").relevant == Equals("status", "registered")
    assert registrations.field("checked_in_by").relevant == IsSet("checked_in_at")
    assert practices.field("soc_depth_cm").relevant == AnySet("soc_before_t_ha", "soc_after_t_ha")
    assert practices.field("soc_years").required_if == AllSet("soc_before_t_ha", "soc_after_t_ha")
    assert practices.field("soc_method").dependencies() == ("soc_before_t_ha", "soc_after_t_ha")
    assert registrations.field("checked_in_by").dependencies() == ("checked_in_at",)
    assert registrations.field("email").dependencies() == ()


def test_conditions_evaluate_on_values() -> None:
    assert Equals("status", "registered").evaluate({"status": "registered"})
    assert not Equals("status", "registered").evaluate({})
    assert IsSet("a").evaluate({"a": 0})
    assert not IsSet("a").evaluate({"a": " "})
    assert AnySet("a", "b").evaluate({"b": 1.5})
    assert not AnySet("a", "b").evaluate({"a": None, "b": []})
    assert not AllSet("a", "b").evaluate({"a": 1})


def test_unknown_kind_and_field_raise_key_error() -> None:
    with pytest.raises(KeyError, match="meetings"):
        form_for("meetings")
    with pytest.raises(KeyError, match="colour"):
        form_for("partners").field("colour")


def test_a_condition_must_read_earlier_fields() -> None:
    with pytest.raises(ValueError, match="earlier field"):
        Form(
            kind="broken",
            label="Broken",
            fields=(
                Field("b", FieldType.TEXT, "B", relevant=IsSet("a"), max_length=10),
                Field("a", FieldType.TEXT, "A", max_length=10),
            ),
            summarize=lambda values: "",
        )


def test_every_free_text_field_needs_a_length_limit() -> None:
    """Tried: declaring text fields without bounds; no value may grow without limit."""
    with pytest.raises(ValueError, match="max_length"):
        Field("notes", FieldType.LONG_TEXT, "Notes")
    with pytest.raises(ValueError, match="max_length"):
        Field("website", FieldType.URL, "Website")
    with pytest.raises(ValueError, match="max_items"):
        Field("steps", FieldType.TEXT_LIST, "Steps", max_length=100)


def test_a_choice_field_needs_a_code_list() -> None:
    with pytest.raises(ValueError, match="code list"):
        Field("college", FieldType.CHOICE, "College")
