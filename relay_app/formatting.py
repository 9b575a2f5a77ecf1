"""Dates, numbers, percentages and quantities written the way the reader writes them.

Everything follows ``relay_app.i18n.current_locale()`` through Babel (CLDR), so a switch of
language changes "0.4%" into "0,4 %" at once. ``read_number`` / ``parse_decimal`` are the other
direction: what a person types or a spreadsheet holds, with a comma or a point as the decimal mark in
every language, back into a number (the rule is in ``read_number`` and docs/data-model.md).

Numbers are rounded half up (2.25 -> "2.3"), as people round by hand, not half to even.
A quantity never breaks across lines: the space between number and unit is a no-break space.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Literal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel import units as babel_units

from relay_app.i18n import _, current_language, current_locale, pgettext

Length = Literal["short", "medium", "long", "full"]
UnitLength = Literal["short", "long", "narrow"]
Number = float | int | Decimal

NO_BREAK_SPACE = "\u00a0"

# Units of the 4 per 1000 domain that CLDR does not know. The template is translated, so each
# language writes its own abbreviation ("t C/ha/an", "t C/ha/año"); other units are CLDR ids
# such as "area-hectare" or "length-centimeter" and Babel writes them.
_DOMAIN_UNITS = {
    "t-c-per-ha": lambda: pgettext("unit", "{value} t C/ha"),
    "t-c-per-ha-per-year": lambda: pgettext("unit", "{value} t C/ha/yr"),
    "t-co2e-per-ha-per-year": lambda: pgettext("unit", "{value} t CO₂e/ha/yr"),
    "per-mille-per-year": lambda: pgettext("unit", "{value} ‰/yr"),
}
DOMAIN_UNITS: tuple[str, ...] = tuple(_DOMAIN_UNITS)

# Spaces people type as thousands separators where the locale's own is a (narrow) no-break space.
_TYPED_SPACES = (" ", "\u00a0", "\u202f", "\u2009")
_MINUS_SIGNS = ("\u2212", "\u2012", "\u2013")


def _rounded(value: Number, digits: int) -> Decimal:
    if digits < 0:
        raise ValueError(f"digits must be 0 or more, not {digits}")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _decimal_pattern(digits: int, fixed: bool, grouped: bool = True) -> str:
    whole = "#,##0" if grouped else "0"
    if digits == 0:
        return whole
    return whole + "." + ("0" if fixed else "#") * digits


def format_integer(value: int) -> str:
    """A count with the locale's grouping: "12,500", "12 500", "12.500"."""
    return babel_numbers.format_decimal(value, format="#,##0", locale=current_locale())


def format_decimal(value: Number, digits: int = 2, *, fixed: bool = False, grouped: bool = True) -> str:
    """``value`` with at most ``digits`` decimals (exactly ``digits`` when ``fixed``).

    "1,234.5" in English, "1 234,5" in French (a narrow no-break space), "1.234,5" in Spanish.
    Without ``grouped`` ("1234,5"), the text reads back the same by ``read_number`` in every
    case: an editable box shows numbers that way.
    """
    pattern = _decimal_pattern(digits, fixed, grouped)
    return babel_numbers.format_decimal(_rounded(value, digits), format=pattern, locale=current_locale())


def format_percent(value: Number, digits: int = 1) -> str:
    """A ratio as a percentage: 0.004 is "0.4%" in English, "0,4 %" in French and Spanish.

    Like spreadsheets and Babel, ``value`` is the ratio, not the number of percent. At most
    ``digits`` decimals are shown.
    """
    locale = current_locale()
    percent = _rounded(Decimal(str(value)) * 100, digits) / 100
    pattern = babel_numbers.parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (0, digits)
    return pattern.apply(percent, locale)


def format_quantity(
    value: Number, unit: str, digits: int = 2, *, length: UnitLength = "short"
) -> str:
    """``value`` followed by its unit: "12.5 ha", "30 cm", "1,2 t C/ha/an".

    ``unit`` is one of ``DOMAIN_UNITS`` or a CLDR unit id ("area-hectare",
    "length-centimeter", "mass-tonne", "duration-year"); ``length`` ("short", "long",
    "narrow") applies to CLDR units. An unknown unit raises ValueError.
    """
    number = _rounded(value, digits)
    template = _DOMAIN_UNITS.get(unit)
    if template is not None:
        text = template().format(value=format_decimal(number, digits))
    else:
        text = babel_units.format_unit(
            number,
            unit,
            length=length,
            format=_decimal_pattern(digits, fixed=False),
            locale=current_locale(),
        )
    return text.replace(" ", NO_BREAK_SPACE)


def _local(value: datetime, zone: tzinfo | None) -> datetime:
    """Aware datetimes are shown in ``zone`` (default: the device's); naive ones are local."""
    if value.tzinfo is None:
        return value
    return value.astimezone(zone)


def format_date(
    value: date | datetime, length: Length = "medium", *, zone: tzinfo | None = None
) -> str:
    """ "Mar 5, 2026", "5 mars 2026", "5 mar 2026" (``length`` "short": "3/5/26", "05/03/2026")."""
    if isinstance(value, datetime):
        value = _local(value, zone).date()
    return babel_dates.format_date(value, format=length, locale=current_locale())


def format_datetime(
    value: datetime, length: Length = "medium", *, zone: tzinfo | None = None
) -> str:
    """A moment in the device's time zone (or ``zone``), in the locale's date and time order."""
    local = _local(value, zone).replace(tzinfo=None)
    return babel_dates.format_datetime(local, format=length, locale=current_locale())


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", re.ASCII)
_EXAMPLE_DATE = date(2026, 11, 29)


def parse_date(text: str) -> date:
    """A date a person typed: ISO ("2026-11-29") or the locale's short date.

    The short date follows the current locale's order: "11/29/26" in English, "29/11/2026" in
    French; a two-digit year is in this century. Anything else raises ValueError with a
    translated message saying how to write the date.
    """
    cleaned = text.strip()
    try:
        if _ISO_DATE.fullmatch(cleaned):
            year, month, day = (int(part) for part in cleaned.split("-"))
            return date(year, month, day)
        return babel_dates.parse_date(cleaned, locale=current_locale(), format="short")
    except (ValueError, IndexError, babel_dates.ParseError):
        raise ValueError(
            _("“{text}” is not a date. Write it like this: {iso} or {local}.").format(
                text=cleaned,
                iso=_EXAMPLE_DATE.isoformat(),
                local=format_date(_EXAMPLE_DATE, "short"),
            )
        ) from None


class AmbiguousNumber(ValueError):
    """Text such as "1,234" in English: a thousands group or a decimal, the reader cannot tell.

    ``whole`` and ``decimal`` are the two readings written unambiguously in the current
    language ("1234" and "1.234"), for a message that says how to write what was meant.
    """

    def __init__(self, text: str, whole: str, decimal: str) -> None:
        super().__init__(text)
        self.text, self.whole, self.decimal = text, whole, decimal


_MARKS = (",", ".")
_DIGITS = re.compile(r"[0-9]*", re.ASCII)
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:G[0-9]{3})+", re.ASCII)  # G stands for the mark used
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+$", re.ASCII)
_SIMPLE_NUMBER = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?", re.ASCII)


def read_number(text: str, *, whole: bool = False) -> Decimal:
    """The number a person or a spreadsheet wrote, the same way in every language.

    One comma or one point is the decimal mark ("2,5" and "2.5" are 2.5). Thousands are
    grouped in threes by spaces, or by the other mark when a decimal mark follows ("1,234.5",
    "1.234,5", "1 234,5"), or by one mark repeated ("1,234,567"). The current language's own
    thousands mark alone before exactly three digits ("1,234" in English, "1.234" in Spanish)
    could be either: it raises ``AmbiguousNumber``, except when ``whole`` (only a whole number
    fits, so it is a thousands group). An exponent ("1.5E+07", as spreadsheets write large
    numbers) is read unless ``whole``. Anything else raises ValueError; blank raises too.
    """
    cleaned = text.strip()
    simple = _SIMPLE_NUMBER.fullmatch(cleaned)
    if simple is not None and len(simple.group(3) or "") != 3:
        # "14,5", "-17.44", "2015": the common case, read without the rules below (which give
        # the same answer); three fraction digits may be a thousands group and take the long way.
        sign, integer, fraction = simple.group(1), simple.group(2), simple.group(3)
        return Decimal(f"{sign}{integer}.{fraction or '0'}")
    for sign in _MINUS_SIGNS:
        cleaned = cleaned.replace(sign, "-")
    for space in _TYPED_SPACES:
        cleaned = cleaned.replace(space, " ")
    negative = cleaned.startswith("-")
    body = cleaned[1:] if cleaned[:1] in ("-", "+") else cleaned
    exponent = _EXPONENT.search(body) if not whole else None
    if exponent is not None:
        body = body[: exponent.start()]
    integer, fraction, ambiguous = _split_marks(body, exponent=exponent is not None)
    sign = "-" if negative else ""
    if ambiguous and whole:
        integer, fraction = integer + fraction, ""  # only a whole number fits: thousands
    elif ambiguous:
        raise AmbiguousNumber(
            text.strip(),
            whole=format_decimal(Decimal(sign + integer + fraction), 0, grouped=False),
            decimal=format_decimal(Decimal(f"{sign}{integer}.{fraction}"), 3, grouped=False),
        )
    if not (integer or fraction) or not _DIGITS.fullmatch(integer) or not _DIGITS.fullmatch(fraction):
        raise ValueError(text)
    digits = f"{sign}{integer or '0'}.{fraction or '0'}"
    return Decimal(digits + (exponent.group(0) if exponent is not None else ""))


def _split_marks(body: str, *, exponent: bool) -> tuple[str, str, bool]:
    """The integer digits (thousands marks removed), the fraction digits, and whether the
    language's thousands mark alone made the split a guess."""
    present = [mark for mark in _MARKS if mark in body]
    spaced = " " in body
    if len(present) == 2:
        decimal = max(present, key=body.rindex)  # the later mark is the decimal one
        group = ",.".replace(decimal, "")
    elif len(present) == 1 and body.count(present[0]) > 1:
        decimal, group = "", present[0]
    elif len(present) == 1:
        decimal, group = present[0], " " if spaced else ""
    else:
        decimal, group = "", " " if spaced else ""
    if decimal and body.count(decimal) > 1:
        raise ValueError(body)
    if (spaced and group != " ") or (group and exponent):
        raise ValueError(body)  # spaces with a thousands mark, or grouping before an exponent
    integer, _mark, fraction = body.partition(decimal) if decimal else (body, "", "")
    if group:
        if not _GROUPED.fullmatch(integer.replace(group, "G")):
            raise ValueError(body)
        return integer.replace(group, ""), fraction, False
    ambiguous = bool(decimal) and decimal == _group_mark() and _looks_grouped(integer, fraction)
    return integer, fraction, ambiguous


def _looks_grouped(integer: str, fraction: str) -> bool:
    return len(fraction) == 3 and _GROUPED.fullmatch(f"{integer}G{fraction}") is not None


def _group_mark() -> str:
    return _group_symbol(current_language())


@cache
def _group_symbol(language: str) -> str:
    # Parsing the locale on every number read cost a quarter of a 50,000-row import's checks.
    return babel_numbers.get_group_symbol(Locale.parse(language))


def parse_decimal(text: str) -> float:
    """What a person typed in a number box, read by ``read_number``'s rule.

    "2,5" and "2.5" are 2.5 in every language, and "1 234,5" or "1,234.5" are 1234.5; an
    ambiguous "1,234" in English or a wrong "12 kg" raises ValueError with a translated
    message saying how to write the number.
    """
    if not text.strip():
        raise ValueError(_("Enter a number."))
    try:
        number = read_number(text)
    except AmbiguousNumber as ambiguous:
        raise ValueError(
            _(
                "“{text}” could be a whole number or a decimal: write {whole} for the whole number "
                "or {decimal} for the decimal."
            ).format(text=ambiguous.text, whole=ambiguous.whole, decimal=ambiguous.decimal)
        ) from None
    except (ValueError, InvalidOperation):
        number = None
    if number is None or not number.is_finite():
        raise ValueError(
            _("“{text}” is not a number. Write it like this: {example}.").format(
                text=text.strip(), example=format_decimal(1234.5, 1)
            )
        )
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(_("{text} is too large.").format(text=text.strip()))
    return value

