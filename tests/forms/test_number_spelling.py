"""How typed and imported numbers are read, in English, French and Spanish alike.

The rule (docs/data-model.md): one comma or one point is the decimal mark in every language;
thousands are grouped in threes, by spaces or by the other mark once a decimal mark is given;
the language's own thousands mark alone before three digits ("1,234" in English) is refused as
ambiguous, with a message that says why and how to write it. Tried here through the shared
coercion (what the editor, imports, the CLI and the server use) and ``parse_decimal``.
"""

from __future__ import annotations

import pytest

from relay_app import formatting
from relay_app.forms import form_for
from relay_app.i18n import set_language

PRACTICES = form_for("practices")
FORUMS = form_for("forums")
LANGUAGES = ("en", "fr", "es")
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("14,15", 14.15),
        ("-0,4", -0.4),
        ("\u22122,5", -2.5),
        (",5", 0.5),
        ("0,123", 0.123),  # a leading 0 is never a thousands group
        ("12,3456", 12.3456),
        ("1234,567", 1234.567),  # four digits before the mark: no thousands group
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1 234,5", 1234.5),
        (f"1{NNBSP}234,5", 1234.5),
        (f"12{NBSP}345.5", 12345.5),
        ("1 234 567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("1.234.567,25", 1234567.25),
        ("1e2", 100.0),
    ],
)
def test_a_decimal_mark_is_read_the_same_in_every_language(language: str, text: str, expected: float) -> None:
    set_language(language)

    value, error = PRACTICES.coerce_field("longitude" if abs(expected) <= 180 else "area_ha", text)
    assert error is None, error.message
    assert value == pytest.approx(expected)
    assert formatting.parse_decimal(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("language", "text", "whole", "decimal"),
    [("en", "1,234", "1234", "1.234"), ("en", "12,500", "12500", "12.5"),
     ("es", "1.234", "1234", "1,234"), ("es", "-123.456", "-123456", "-123,456")],
)
def test_the_languages_own_thousands_mark_alone_is_refused_as_ambiguous(
    language: str, text: str, whole: str, decimal: str
) -> None:
    set_language(language)

    value, error = PRACTICES.coerce_field("area_ha", text)
    assert value is None and error is not None and error.code == "invalid_type"
    assert text in error.message and whole in error.message and decimal in error.message
    with pytest.raises(ValueError) as refused:
        formatting.parse_decimal(text)
    assert text in str(refused.value) and whole in str(refused.value) and decimal in str(refused.value)


@pytest.mark.parametrize(("language", "text", "expected"),
                         [("fr", "1,234", 1.234), ("fr", "1.234", 1.234), ("en", "1.234", 1.234),
                          ("es", "1,234", 1.234)])
def test_a_mark_that_is_not_the_languages_thousands_mark_is_a_decimal_mark(
    language: str, text: str, expected: float
) -> None:
    set_language(language)

    assert PRACTICES.coerce_field("area_ha", text) == (pytest.approx(expected), None)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "text",
    ["1,2,3", "1,23,456", "12,34.5", "1.234.5", "1,234,5", "2,5,", "1 23", "1 234.567.8", "1,234 567",
     "1.2e", ",", "-", "12 kg", "NaN", "inf", "0x10", "1_000"],
)
def test_other_spellings_are_not_numbers(language: str, text: str) -> None:
    set_language(language)

    value, error = PRACTICES.coerce_field("area_ha", text)
    assert value is None and error is not None and error.code == "invalid_type"
    with pytest.raises(ValueError):
        formatting.parse_decimal(text)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("en", "12,500", 12500), ("en", "1 000", 1000), ("fr", "1 000", 1000), ("fr", f"1{NNBSP}000", 1000),
     ("es", "1.000", 1000), ("es", "2.000,0", 2000), ("fr", "2500,0", 2500), ("en", "2500.0", 2500)],
)
def test_whole_numbers_take_the_same_spellings(language: str, text: str, expected: int) -> None:
    """Where only a whole number fits, the language's thousands mark is read as one."""
    set_language(language)

    value, error = FORUMS.coerce_field("capacity", text)
    assert error is None, error.message
    assert value == expected and type(value) is int


@pytest.mark.parametrize(("language", "text"), [("en", "2,5"), ("fr", "2,5"), ("es", "1e3"), ("en", "1,2,3")])
def test_a_whole_number_field_refuses_a_fraction(language: str, text: str) -> None:
    set_language(language)

    value, error = FORUMS.coerce_field("capacity", text)
    assert value is None and error is not None and error.code == "invalid_type"

