"""Dates, numbers, percentages and quantities in English, French and Spanish."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from relay_app import formatting
from relay_app.i18n import _, set_language

NNBSP = "\u202f"  # CLDR's French thousands separator
NBSP = "\u00a0"


@pytest.fixture(params=["en", "fr", "es"])
def language(request: pytest.FixtureRequest) -> str:
    set_language(request.param)
    return str(request.param)


def _expect(language: str, en: str, fr: str, es: str) -> str:
    return {"en": en, "fr": fr, "es": es}[language]


def test_percent_of_the_4_per_1000_target(language: str):
    assert formatting.format_percent(0.004) == _expect(
        language, "0.4%", f"0,4{NBSP}%", f"0,4{NBSP}%"
    )


def test_percent_rounds_half_up_to_the_digits_asked(language: str):
    assert formatting.format_percent(0.01255, 2) == _expect(
        language, "1.26%", f"1,26{NBSP}%", f"1,26{NBSP}%"
    )
    assert formatting.format_percent(0.5, 0) == _expect(language, "50%", f"50{NBSP}%", f"50{NBSP}%")


def test_decimal_with_grouping_and_the_locale_separator(language: str):
    assert formatting.format_decimal(1234.5, 1) == _expect(
        language, "1,234.5", f"1{NNBSP}234,5", "1.234,5"
    )


def test_decimal_drops_trailing_zeros_unless_fixed(language: str):
    assert formatting.format_decimal(2.5, 2) == _expect(language, "2.5", "2,5", "2,5")
    assert formatting.format_decimal(2.5, 2, fixed=True) == _expect(
        language, "2.50", "2,50", "2,50"
    )
    assert formatting.format_decimal(-0.125, 2) == _expect(language, "-0.13", "-0,13", "-0,13")


def test_decimal_rejects_what_is_not_a_finite_number():
    with pytest.raises(ValueError):
        formatting.format_decimal(float("nan"))
    with pytest.raises(ValueError):
        formatting.format_decimal(1.0, -1)


def test_integer_counts_are_grouped(language: str):
    assert formatting.format_integer(12500) == _expect(
        language, "12,500", f"12{NNBSP}500", "12.500"
    )


def test_quantities_with_cldr_units(language: str):
    space = _expect(language, NBSP, NNBSP, NBSP)  # CLDR's own choice for short units
    assert formatting.format_quantity(12.5, "area-hectare") == _expect(
        language, f"12.5{space}ha", f"12,5{space}ha", f"12,5{space}ha"
    )
    assert formatting.format_quantity(30, "length-centimeter") == f"30{space}cm"
    assert formatting.format_quantity(2, "duration-year", 0, length="long") == _expect(
        language, f"2{NBSP}years", f"2{NBSP}ans", f"2{NBSP}años"
    )
    assert formatting.format_quantity(1, "duration-year", 0, length="long") == _expect(
        language, f"1{NBSP}year", f"1{NBSP}an", f"1{NBSP}año"
    )


def test_quantities_with_soil_carbon_units(language: str):
    assert formatting.format_quantity(1.234, "t-c-per-ha-per-year") == _expect(
        language,
        f"1.23{NBSP}t{NBSP}C/ha/yr",
        f"1,23{NBSP}t{NBSP}C/ha/an",
        f"1,23{NBSP}t{NBSP}C/ha/año",
    )
    assert formatting.format_quantity(4, "per-mille-per-year", 1) == _expect(
        language, f"4{NBSP}‰/yr", f"4{NBSP}‰/an", f"4{NBSP}‰/año"
    )
    assert formatting.format_quantity(55.25, "t-c-per-ha", 1) == _expect(
        language, f"55.3{NBSP}t{NBSP}C/ha", f"55,3{NBSP}t{NBSP}C/ha", f"55,3{NBSP}t{NBSP}C/ha"
    )


def test_every_domain_unit_formats_in_every_language(language: str):
    for unit in formatting.DOMAIN_UNITS:
        text = formatting.format_quantity(1.5, unit)
        assert text.startswith(_expect(language, "1.5", "1,5", "1,5") + NBSP), (unit, text)
        assert "{" not in text


def test_unknown_unit_is_a_value_error():
    with pytest.raises(ValueError):
        formatting.format_quantity(1, "bushels-per-fortnight")


def test_dates(language: str):
    day = date(2026, 3, 5)
    assert formatting.format_date(day) == _expect(
        language, "Mar 5, 2026", "5 mars 2026", "5 mar 2026"
    )
    assert formatting.format_date(day, "short") == _expect(
        language, "3/5/26", "05/03/2026", "5/3/26"
    )
    assert formatting.format_date(day, "long") == _expect(
        language, "March 5, 2026", "5 mars 2026", "5 de marzo de 2026"
    )


def test_datetimes_are_shown_in_the_zone_asked(language: str):
    moment = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
    dakar, paris = UTC, timezone(timedelta(hours=1))
    assert formatting.format_datetime(moment, "short", zone=dakar) == _expect(
        language, "3/5/26, 11:30\u202fPM", "05/03/2026 23:30", "5/3/26, 23:30"
    )
    # One hour east of UTC the evening has become the next day.
    assert formatting.format_datetime(moment, "short", zone=paris) == _expect(
        language, "3/6/26, 12:30\u202fAM", "06/03/2026 00:30", "6/3/26, 0:30"
    )
    assert formatting.format_date(moment, "short", zone=paris) == _expect(
        language, "3/6/26", "06/03/2026", "6/3/26"
    )


def test_parse_decimal_reads_the_french_comma():
    set_language("fr")
    assert formatting.parse_decimal("0,4") == pytest.approx(0.4)
    assert formatting.parse_decimal("-12,75") == pytest.approx(-12.75)
    assert formatting.parse_decimal(f"1{NNBSP}234,5") == pytest.approx(1234.5)
    assert formatting.parse_decimal("1 234,5") == pytest.approx(1234.5)  # typed with a space
    assert formatting.parse_decimal("0.4") == pytest.approx(0.4)  # the point is no separator here
    assert formatting.parse_decimal(" \u22122,5 ") == pytest.approx(-2.5)  # typographic minus


def test_parse_decimal_reads_the_english_point():
    set_language("en")
    assert formatting.parse_decimal("0.4") == pytest.approx(0.4)
    assert formatting.parse_decimal("1,234.5") == pytest.approx(1234.5)
    assert formatting.parse_decimal("+3") == 3.0


def test_parse_decimal_reads_spanish_grouping():
    set_language("es")
    assert formatting.parse_decimal("0,4") == pytest.approx(0.4)
    assert formatting.parse_decimal("1.234,5") == pytest.approx(1234.5)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "0,4,"),
        ("en", "1,5.3"),
        ("es", "0.4.1"),
        ("fr", "1.234,5,6"),
        ("en", "12 kg"),
        ("en", "1e"),
        ("en", "NaN"),
        ("fr", "abc"),
    ],
)
def test_parse_decimal_refuses_ambiguous_or_foreign_input(language: str, text: str):
    set_language(language)
    with pytest.raises(ValueError) as refused:
        formatting.parse_decimal(text)
    assert text in str(refused.value)
    assert formatting.format_decimal(1234.5, 1) in str(refused.value)  # shows how to write it


def test_parse_decimal_explains_itself_in_the_current_language():
    set_language("fr")
    with pytest.raises(ValueError) as refused:
        formatting.parse_decimal("douze")
    assert str(refused.value) == (
        f"«{NBSP}douze{NBSP}» n’est pas un nombre. Écrivez-le ainsi{NBSP}: 1{NNBSP}234,5."
    )
    set_language("es")
    with pytest.raises(ValueError) as refused:
        formatting.parse_decimal("   ")
    assert str(refused.value) == _("Enter a number.") == "Introduzca un número."


def test_what_is_formatted_parses_back(language: str):
    for value in (0.4, 1234.5, -0.05, 1_000_000.25):
        assert formatting.parse_decimal(formatting.format_decimal(value, 2)) == pytest.approx(value)


def test_parse_date_reads_iso_and_the_locales_short_date(language: str):
    assert formatting.parse_date(" 2026-11-29 ") == date(2026, 11, 29)
    assert formatting.parse_date("2026-3-5") == date(2026, 3, 5)
    short = _expect(language, "11/29/26", "29/11/2026", "29/11/26")
    assert formatting.parse_date(short) == date(2026, 11, 29)
    shown = formatting.format_date(date(2026, 3, 5), "short")
    assert formatting.parse_date(shown) == date(2026, 3, 5)


@pytest.mark.parametrize("text", ["", "0261129", "2026-13-01", "2026-02-30", "29/11", "soon"])
def test_parse_date_refuses_what_is_no_date(language: str, text: str):
    with pytest.raises(ValueError, match="2026-11-29"):
        formatting.parse_date(text)
