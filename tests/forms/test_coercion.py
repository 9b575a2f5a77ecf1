"""Raw values as they arrive from spreadsheets, widgets and JSON, and what they become."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from relay_app.forms import form_for

PARTNERS = form_for("partners")
PRACTICES = form_for("practices")
FORUMS = form_for("forums")
REGISTRATIONS = form_for("registrations")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.5", 12.5), (" 12.5 ", 12.5), (12, 12.0), (12.5, 12.5), (Decimal("7.25"), 7.25),
     ("-0.5", -0.5), (".5", 0.5), ("1e2", 100.0), ("0", 0.0), ("+180", 180.0)],
)
def test_decimal_accepts_text_and_numbers(raw: Any, expected: float) -> None:
    value, error = PARTNERS.coerce_field("longitude", raw)

    assert error is None
    assert value == expected and isinstance(value, float)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2015", 2015), (2015, 2015), (2015.0, 2015), ("2015.0", 2015), (" 2015 ", 2015),
     (Decimal("2015"), 2015)],
)
def test_integer_accepts_integral_values(raw: Any, expected: int) -> None:
    value, error = PRACTICES.coerce_field("start_year", raw)

    assert error is None
    assert value == expected and type(value) is int


@pytest.mark.parametrize("raw", ["20 15", "2_015", "٢٠١٥", "0x7df", "1e3", "inf", True])
def test_integer_rejects_other_spellings(raw: Any) -> None:
    value, error = PRACTICES.coerce_field("start_year", raw)

    assert value is None
    assert error is not None and error.code == "invalid_type"


def test_start_year_may_be_next_year() -> None:
    next_year = datetime.now(UTC).year + 1

    assert PRACTICES.coerce_field("start_year", next_year) == (next_year, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), ("true", True), ("FALSE", False), ("Yes", True), ("no", False),
     ("1", True), ("0", False), (1, True), (0, False), (1.0, True), ("oui", True), ("NON", False),
     ("sí", True), ("SÍ", True), ("si", True), ("Si\u0301", True), ("vrai", True),
     ("faux", False), ("verdadero", True), ("falso", False), (" yes ", True)],
)
def test_boolean_words(raw: Any, expected: bool) -> None:
    assert REGISTRATIONS.coerce_field("travel_support", raw) == (expected, None)


@pytest.mark.parametrize("raw", ["", "  ", None, []])
def test_blank_input_means_no_value(raw: Any) -> None:
    assert PARTNERS.coerce_field("acronym", raw) == (None, None)
    assert PARTNERS.coerce_field("languages", raw) == ([], None)


def test_text_is_stripped_and_long_text_keeps_inner_lines() -> None:
    assert PARTNERS.coerce_field("name", "  INRAE \t") == ("INRAE", None)
    assert PARTNERS.coerce_field("address", " 1 rue X\r\nParis \n") == ("1 rue X\nParis", None)


def test_spreadsheet_numbers_in_text_fields_keep_their_digits() -> None:
    assert PARTNERS.coerce_field("phone", 221771234567.0) == ("221771234567", None)
    assert PARTNERS.coerce_field("city", 75007) == ("75007", None)


def test_length_is_counted_after_stripping() -> None:
    value, error = PARTNERS.coerce_field("acronym", "  " + "A" * 30 + "  ")

    assert error is None and value == "A" * 30


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("fr; en", ["fr", "en"]), ("fr;;en; ", ["fr", "en"]), (["fr", " en "], ["fr", "en"]),
     (("fr",), ["fr"]), ("FR;Fr;fr", ["fr"]), (["es", "", None], ["es"])],
)
def test_multi_choice_splits_trims_and_deduplicates(raw: Any, expected: list[str]) -> None:
    assert PARTNERS.coerce_field("languages", raw) == (expected, None)


def test_text_list_keeps_order_and_drops_empties() -> None:
    value, error = PRACTICES.coerce_field("tutorial_steps", " Dig ; ;Plant;Water ")

    assert error is None
    assert value == ["Dig", "Plant", "Water"]


def test_text_list_accepts_fifty_steps() -> None:
    value, error = PRACTICES.coerce_field("tutorial_steps", [f"Step {n}" for n in range(50)])

    assert error is None and len(value) == 50


def test_too_long_step_names_its_position() -> None:
    _value, error = PRACTICES.coerce_field("tutorial_steps", ["ok", "ok", "x" * 2001])

    assert error is not None and error.code == "too_long"
    assert error.params["index"] == 3
    assert "3" in error.message


def test_choice_codes_match_regardless_of_case() -> None:
    assert PARTNERS.coerce_field("country", " pe ") == ("PE", None)
    assert PRACTICES.coerce_field("soil_group", "lx") == ("LX", None)
    assert PARTNERS.coerce_field("college", "Research_Education") == ("research_education", None)


def test_invalid_choice_message_quotes_the_value() -> None:
    _value, error = PARTNERS.coerce_field("country", "Atlantis")

    assert error is not None and error.code == "invalid_choice"
    assert "Atlantis" in error.message and "Country" in error.message
    assert error.params["value"] == "Atlantis"


@pytest.mark.parametrize("raw", ["2024-11-12", date(2024, 11, 12), datetime(2024, 11, 12)])
def test_date_accepts_iso_text_dates_and_spreadsheet_midnights(raw: Any) -> None:
    assert FORUMS.coerce_field("start_date", raw) == (date(2024, 11, 12), None)


@pytest.mark.parametrize("raw", ["20241112", "2024-W46-2", "12/11/2024", "2024-11-12T10:00", 45000])
def test_date_rejects_other_forms(raw: Any) -> None:
    _value, error = FORUMS.coerce_field("start_date", raw)

    assert error is not None and error.code == "invalid_type"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-11-12T08:15:00Z", datetime(2024, 11, 12, 8, 15, tzinfo=UTC)),
        ("2024-11-12T08:15:00", datetime(2024, 11, 12, 8, 15, tzinfo=UTC)),
        ("2024-11-12 09:15:00+01:00", datetime(2024, 11, 12, 8, 15, tzinfo=UTC)),
        (datetime(2024, 11, 12, 8, 15), datetime(2024, 11, 12, 8, 15, tzinfo=UTC)),
        (
            datetime(2024, 11, 12, 3, 15, tzinfo=timezone(timedelta(hours=-5))),
            datetime(2024, 11, 12, 8, 15, tzinfo=UTC),
        ),
    ],
)
def test_datetime_is_stored_as_aware_utc(raw: Any, expected: datetime) -> None:
    value, error = REGISTRATIONS.coerce_field("checked_in_at", raw)

    assert error is None
    assert value == expected
    assert value.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "raw",
    ["https://www.4p1000.org", "http://example.org:8080/path?q=1", "HTTPS://EXAMPLE.ORG"],
)
def test_urls_accepted(raw: str) -> None:
    assert PARTNERS.coerce_field("website", raw) == (raw, None)


@pytest.mark.parametrize(
    "raw", ["contact@4p1000.org", "first.last+tag@sub.example.co.uk", "josé@exemple.fr"]
)
def test_emails_accepted(raw: str) -> None:
    assert PARTNERS.coerce_field("email", raw) == (raw, None)


@pytest.mark.parametrize("raw", ["+221 77 123 45 67", "(01) 42.75.90.00", "123456", "0" * 20])
def test_phones_accepted(raw: str) -> None:
    assert PARTNERS.coerce_field("phone", raw) == (raw, None)


def test_reference_is_stored_as_canonical_uuid_text() -> None:
    ident = uuid.uuid4()

    assert PRACTICES.coerce_field("partner_id", ident) == (str(ident), None)
    assert PRACTICES.coerce_field("partner_id", str(ident).upper()) == (str(ident), None)
    assert PRACTICES.coerce_field("partner_id", ident.hex) == (str(ident), None)


def test_coerce_field_reports_required_and_applies_defaults() -> None:
    value, error = PARTNERS.coerce_field("name", "")
    status, status_error = PARTNERS.coerce_field("status", "")

    assert value is None and error is not None and error.code == "required"
    assert error.field == "name"
    assert (status, status_error) == ("active", None)


def test_coerce_field_checks_must_be_true() -> None:
    _value, error = REGISTRATIONS.coerce_field("consent", "no")

    assert error is not None and error.code == "must_be_true"


def test_coerce_field_does_not_call_a_derivable_region_missing() -> None:
    assert FORUMS.coerce_field("region", "") == (None, None)


def test_coerce_field_rejects_unknown_fields() -> None:
    with pytest.raises(KeyError):
        PARTNERS.coerce_field("colour", "green")
