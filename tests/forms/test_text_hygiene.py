"""The text rule every field goes through: encodable as UTF-8, no invisible control characters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from relay_app.forms import FieldType, form_for
from relay_app.forms.hygiene import encodable, scrubbed, shown, unencodable_position
from relay_app.i18n import set_language
from tests.forms.samples import good_record

PARTNERS = form_for("partners")
PRACTICES = form_for("practices")
# As a JSON body carries it: a lone surrogate written as an escape.
LONE_SURROGATE = json.loads('"\\ud800"')


def _text_fields() -> list[tuple[str, str]]:
    """Every field of every kind that accepts a string at all (all but booleans and numbers)."""
    return [
        (kind, field.name)
        for kind in ("partners", "practices", "forums", "registrations", "attachments")
        for field in form_for(kind).fields
        if field.type not in (FieldType.BOOLEAN,)
    ]


@pytest.mark.parametrize(("kind", "name"), _text_fields())
def test_a_lone_surrogate_is_refused_on_every_field(kind: str, name: str) -> None:
    """Tried: "x\\ud800" in each field of each kind, whatever its type; the error never quotes
    the text back (a message holding it could not be printed or sent either)."""
    form = form_for(kind)
    raw: Any = [f"x{LONE_SURROGATE}"] if form.field(name).is_list else f"x{LONE_SURROGATE}"

    value, error = form.coerce_field(name, raw)

    assert error is not None and error.code == "invalid_text", (name, error)
    assert error.params == {"position": 2}
    assert error.message.encode("utf-8")
    assert LONE_SURROGATE not in error.message
    assert value == form.field(name).empty_value()


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])
def test_control_characters_are_cleaned_away_on_every_kind_of_text(character: str) -> None:
    """Tried: NUL (PostgreSQL refuses it), an escape sequence start, DEL...: invisible, so they
    go like surrounding whitespace, in single-line, multi-line, list and choice fields alike."""
    city, city_error = PARTNERS.coerce_field("city", f"Pa{character}ris")
    address, address_error = PARTNERS.coerce_field("address", f"1 rue{character}\nParis")
    steps, steps_error = PRACTICES.coerce_field("tutorial_steps", [f"Sow{character}", "Roll"])
    country, country_error = PARTNERS.coerce_field("country", f"F{character}R")

    assert (city_error, address_error, steps_error, country_error) == (None, None, None, None)
    assert (city, address, steps, country) == ("Paris", "1 rue\nParis", ["Sow", "Roll"], "FR")


def test_text_that_is_only_control_characters_is_no_value() -> None:
    value, error = PARTNERS.coerce_field("name", "\x00\x01 \x7f")

    assert error is not None and error.code == "required"
    assert value is None


def test_the_message_names_the_field_in_the_readers_language() -> None:
    set_language("fr")
    try:
        _value, error = PARTNERS.coerce_field("name", f"A{LONE_SURROGATE}")
    finally:
        set_language("en")
    assert error is not None and error.code == "invalid_text"
    assert error.message.startswith("Nom")


def test_tabs_and_line_breaks_stay_in_multi_line_text_and_become_spaces_elsewhere() -> None:
    address, address_error = PARTNERS.coerce_field("address", "1 rue\tHaute\r\n75007\rParis")
    name, name_error = PARTNERS.coerce_field("name", "Institut\r\nde\trecherche\n")
    steps, steps_error = PRACTICES.coerce_field("tutorial_steps", ["Sow\nthe cover", "Roll it"])

    assert (address_error, name_error, steps_error) == (None, None, None)
    assert address == "1 rue\tHaute\n75007\nParis"
    assert name == "Institut de recherche"
    assert steps == ["Sow the cover", "Roll it"]


def test_valid_text_in_every_script_and_emoji_is_kept() -> None:
    """Tried: characters beyond the BMP (stored as surrogate pairs in UTF-16, and decoded from a
    JSON escape pair) and the replacement character itself: all encodable, all accepted."""
    name = json.loads('"Coop\\u00e9rative \\ud83c\\udf31 \\u0645\\u0632\\u0631\\u0639\\u0629 \\ufffd"')
    value, error = PARTNERS.coerce_field("name", name)

    assert error is None
    assert value == "Coopérative 🌱 مزرعة \ufffd"


def test_a_record_with_hostile_text_and_an_odd_key_validates_without_failing() -> None:
    """Tried: a full record whose key holds a lone surrogate and a control character; the error
    names it with both replaced, so that the error itself can be printed and sent."""
    record = good_record("partners")
    record[f"col{LONE_SURROGATE}our\x07"] = "green"
    record["name"] = f"{LONE_SURROGATE}"

    result = PARTNERS.validate(record)

    assert [(error.field, error.code) for error in result.errors] == [
        ("name", "invalid_text"),
        ("col\ufffdour\ufffd", "unknown_field"),
    ]
    for error in result.errors:
        assert error.message.encode("utf-8")
        assert error.field is not None and error.field.encode("utf-8")


def test_a_long_unknown_key_is_quoted_shortened() -> None:
    record = {**good_record("partners"), "k" * 10_000: 1}

    [error] = PARTNERS.validate(record).errors

    assert error.code == "unknown_field"
    assert len(error.field or "") == 80 and (error.field or "").endswith("…")


def test_text_errors_checks_only_the_fields_given() -> None:
    """The check a sync server runs on a partial change before merging it."""
    errors = PARTNERS.text_errors(
        {"city": f"x{LONE_SURROGATE}", "name": "ok\x00", "latitude": 3, "colour": LONE_SURROGATE}
    )

    assert [(error.field, error.code) for error in errors] == [("city", "invalid_text")]


def test_the_helpers_find_replace_and_show() -> None:
    assert unencodable_position("clean text\twith tab, line\nand \x00") is None
    assert unencodable_position(f"ab{LONE_SURROGATE}") == 3
    assert encodable({f"k{LONE_SURROGATE}": [f"{LONE_SURROGATE}v", 1, None]}) == {
        "k\ufffd": ["\ufffdv", 1, None]
    }
    assert scrubbed(f"a\x00b{LONE_SURROGATE}c\x1f\td") == "ab\ufffdc\td"
    assert scrubbed(["\x01x", 2]) == ["x", 2]
    assert shown(f"a\x00{LONE_SURROGATE}") == "a\ufffd\ufffd"
