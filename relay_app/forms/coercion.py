"""Turning one raw value (a CSV/XLSX cell, a widget's text, a JSON value) into a typed one.

Each function takes the field and the raw value and returns the cleaned value, or raises
``Invalid`` with a stable code and a translated message. Blank input ("", whitespace, None,
an empty list) comes back as the field's empty value; whether that is acceptable is decided
by the record validator, which knows about defaults, derivations and relevance.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from babel.numbers import format_decimal

from relay_app import codelists
from relay_app.formatting import AmbiguousNumber, read_number
from relay_app.forms import errors as codes
from relay_app.forms.errors import Invalid
from relay_app.forms.fields import Field, FieldType
from relay_app.forms.hygiene import is_clean, unencodable_position, without_controls
from relay_app.i18n import _, current_locale, ngettext

_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_PHONE_TEXT = re.compile(r"[0-9 +\-().]+", re.ASCII)
_EMAIL_LOCAL = re.compile(r"[^\s@\"(),:;<>\[\]\\]+")
_DOMAIN_LABEL = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?")
# Tabs and line breaks in a single-line value: a spreadsheet cell's wrapped text, a pasted line.
_LINE_BREAKS = re.compile(r"[\t\r\n]+")

_TRUE_WORDS = frozenset({"true", "yes", "1", "oui", "vrai", "sí", "si", "verdadero"})
_FALSE_WORDS = frozenset({"false", "no", "0", "non", "faux", "falso"})


def label_of(field: Field) -> str:
    return _(field.label)


def format_number(value: float | int) -> str:
    """A limit written the way the reader writes numbers; years stay ungrouped."""
    return format_decimal(value, locale=current_locale(), group_separator=abs(value) >= 10000)


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return all(is_blank(item) for item in raw)
    return False


def _number_as_text(raw: Any) -> str | None:
    """Spreadsheet cells hold postcodes and phone numbers as numbers; keep their digits."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float) and math.isfinite(raw):
        return str(int(raw)) if raw.is_integer() else str(raw)
    return None


def _as_text(field: Field, raw: Any) -> str:
    if isinstance(raw, str):
        text = raw
    else:
        converted = _number_as_text(raw)
        if converted is None:
            message = _("{field} must be text.").format(field=label_of(field))
            raise Invalid(codes.INVALID_TYPE, message, value=str(raw))
        text = converted
    if field.type is FieldType.LONG_TEXT:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = _LINE_BREAKS.sub(" ", text)
    return text.strip()


def _check_length(field: Field, text: str) -> None:
    limit = field.max_length
    if limit is not None and len(text) > limit:
        message = ngettext(
            "{field} must be at most {max} character.",
            "{field} must be at most {max} characters.",
            limit,
        ).format(field=label_of(field), max=format_number(limit))
        raise Invalid(codes.TOO_LONG, message, max=limit, length=len(text))


def _check_range(field: Field, value: float | int) -> None:
    low, high = field.minimum_value(), field.maximum_value()
    too_low = low is not None and (value <= low if field.minimum_exclusive else value < low)
    too_high = high is not None and value > high
    if not (too_low or too_high):
        return
    label = label_of(field)
    if low is not None and high is not None:
        if field.minimum_exclusive:
            template = _("{field} must be greater than {min} and at most {max}.")
        else:
            template = _("{field} must be between {min} and {max}.")
    elif low is not None:
        if field.minimum_exclusive:
            template = _("{field} must be greater than {min}.")
        else:
            template = _("{field} must be at least {min}.")
    else:
        template = _("{field} must be at most {max}.")
    message = template.format(
        field=label,
        min=format_number(low) if low is not None else "",
        max=format_number(high) if high is not None else "",
    )
    raise Invalid(codes.OUT_OF_RANGE, message, min=low, max=high, value=value)


def _text(field: Field, raw: Any) -> str:
    text = _as_text(field, raw)
    _check_length(field, text)
    return text


def _integer(field: Field, raw: Any) -> int:
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal) and math.isfinite(raw) and raw == int(raw):
        value = int(raw)
    elif isinstance(raw, str):
        number = _number_text(field, raw, whole=True)
        value = int(number) if number is not None and number == number.to_integral_value() else None
    if value is None:
        message = _("{field} must be a whole number.").format(field=label_of(field))
        raise Invalid(codes.INVALID_TYPE, message, value=str(raw))
    _check_range(field, value)
    return value


def _number_text(field: Field, raw: str, *, whole: bool) -> Decimal | None:
    """``raw`` read by the one rule for written numbers (``formatting.read_number``); None when
    it is no number. An ambiguous "1,234" is refused here with a message that says why."""
    try:
        number = read_number(raw, whole=whole)
    except AmbiguousNumber as ambiguous:
        message = _(
            "{field}: “{text}” could be a whole number or a decimal; write {whole} for the whole "
            "number or {decimal} for the decimal."
        ).format(field=label_of(field), text=ambiguous.text, whole=ambiguous.whole, decimal=ambiguous.decimal)
        raise Invalid(codes.INVALID_TYPE, message, value=raw.strip()) from None
    except (ValueError, InvalidOperation):
        return None
    return number if number.is_finite() else None


def _decimal(field: Field, raw: Any) -> float:
    value: float | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int | float | Decimal):
        value = float(raw)
    elif isinstance(raw, str):
        number = _number_text(field, raw, whole=False)
        value = float(number) if number is not None else None
    if value is None or not math.isfinite(value):
        message = _("{field} must be a number.").format(field=label_of(field))
        raise Invalid(codes.INVALID_TYPE, message, value=str(raw))
    _check_range(field, value)
    return value


def _date(field: Field, raw: Any) -> date:
    if isinstance(raw, datetime):
        # Spreadsheets hand back dates as datetimes at midnight.
        if raw.tzinfo is None and raw.time() == time(0):
            return raw.date()
    elif isinstance(raw, date):
        return raw
    elif isinstance(raw, str) and _DATE_TEXT.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    message = _("{field} must be a date written YYYY-MM-DD.").format(field=label_of(field))
    raise Invalid(codes.INVALID_TYPE, message, value=str(raw))


def _datetime(field: Field, raw: Any) -> datetime:
    moment: datetime | None = None
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime.combine(raw, time(0))
    elif isinstance(raw, str):
        try:
            moment = datetime.fromisoformat(raw.strip())
        except ValueError:
            moment = None
    if moment is None:
        message = _("{field} must be a date and time in ISO 8601 form.").format(
            field=label_of(field)
        )
        raise Invalid(codes.INVALID_TYPE, message, value=str(raw))
    # Device clocks and spreadsheets rarely say their zone; UTC is the one stored everywhere.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _boolean(field: Field, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = unicodedata.normalize("NFC", raw.strip()).casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    message = _("{field} must be yes or no.").format(field=label_of(field))
    raise Invalid(codes.INVALID_TYPE, message, value=str(raw))


def _choice_code(field: Field, raw: Any) -> str:
    assert field.codelist is not None
    found = None
    if isinstance(raw, str):
        found = codelists.get(field.codelist).find(raw.strip())
    if found is None:
        value = raw.strip() if isinstance(raw, str) else str(raw)
        message = _("“{value}” is not a valid choice for {field}.").format(
            value=value, field=label_of(field)
        )
        raise Invalid(codes.INVALID_CHOICE, message, value=value)
    return found


def _email(field: Field, raw: Any) -> str:
    text = _text(field, raw)
    local, at, domain = text.rpartition("@")
    labels = domain.split(".")
    valid = (
        bool(at)
        and _EMAIL_LOCAL.fullmatch(local) is not None
        and ".." not in local
        and not local.startswith(".")
        and not local.endswith(".")
        and len(labels) >= 2
        and all(_DOMAIN_LABEL.fullmatch(part) for part in labels)
        and not labels[-1].isdigit()
    )
    if not valid:
        message = _("{field} must be an email address such as name@example.org.").format(
            field=label_of(field)
        )
        raise Invalid(codes.INVALID_EMAIL, message, value=text)
    return text


def _url(field: Field, raw: Any) -> str:
    text = _text(field, raw)
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        host = None
    else:
        if parts.scheme.lower() not in ("http", "https"):
            host = None
    if not host or any(ch.isspace() for ch in text):
        message = _("{field} must be a web address starting with http:// or https://.").format(
            field=label_of(field)
        )
        raise Invalid(codes.INVALID_URL, message, value=text)
    return text


def _phone(field: Field, raw: Any) -> str:
    text = _text(field, raw)
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_TEXT.fullmatch(text) or not 6 <= digits <= 20:
        message = _(
            "{field} must be a phone number of 6 to 20 digits; "
            "spaces and + - ( ) . are allowed."
        ).format(field=label_of(field))
        raise Invalid(codes.INVALID_PHONE, message, value=text)
    return text


def _reference(field: Field, raw: Any) -> str:
    if isinstance(raw, uuid.UUID):
        return str(raw)
    if isinstance(raw, str):
        try:
            return str(uuid.UUID(raw.strip()))
        except ValueError:
            pass
    # People pick a record by its name (the editor) or copy its id (a file): words for both.
    message = _("{field}: no record matches “{value}”.").format(field=label_of(field), value=raw)
    raise Invalid(codes.INVALID_REFERENCE, message, value=str(raw))


def _items(field: Field, raw: Any) -> list[Any]:
    """The items of a list field: a list, or text split on ';'; blanks dropped."""
    if isinstance(raw, str):
        pieces: list[Any] = raw.split(";")
    elif isinstance(raw, list | tuple):
        pieces = list(raw)
    else:
        message = _("{field} must be a list, or text with items separated by “;”.").format(
            field=label_of(field)
        )
        raise Invalid(codes.INVALID_TYPE, message, value=str(raw))
    return [piece for piece in pieces if not is_blank(piece)]


def _multi_choice(field: Field, raw: Any) -> list[str]:
    chosen: list[str] = []
    for item in _items(field, raw):
        code = _choice_code(field, item)
        if code not in chosen:
            chosen.append(code)
    return chosen


def _text_list(field: Field, raw: Any) -> list[str]:
    entries = [_as_text(field, item) for item in _items(field, raw)]
    if field.max_items is not None and len(entries) > field.max_items:
        message = ngettext(
            "{field} can have at most {max} entry.",
            "{field} can have at most {max} entries.",
            field.max_items,
        ).format(field=label_of(field), max=format_number(field.max_items))
        raise Invalid(codes.TOO_LONG, message, max_items=field.max_items, count=len(entries))
    limit = field.max_length
    for position, entry in enumerate(entries, start=1):
        if limit is not None and len(entry) > limit:
            message = ngettext(
                "Entry {index} of {field} must be at most {max} character.",
                "Entry {index} of {field} must be at most {max} characters.",
                limit,
            ).format(index=position, field=label_of(field), max=format_number(limit))
            raise Invalid(codes.TOO_LONG, message, max=limit, index=position)
    return entries


_PARSERS: dict[FieldType, Callable[[Field, Any], Any]] = {
    FieldType.TEXT: _text,
    FieldType.LONG_TEXT: _text,
    FieldType.INTEGER: _integer,
    FieldType.DECIMAL: _decimal,
    FieldType.DATE: _date,
    FieldType.DATETIME: _datetime,
    FieldType.BOOLEAN: _boolean,
    FieldType.CHOICE: _choice_code,
    FieldType.MULTI_CHOICE: _multi_choice,
    FieldType.EMAIL: _email,
    FieldType.URL: _url,
    FieldType.PHONE: _phone,
    FieldType.TEXT_LIST: _text_list,
    FieldType.REFERENCE: _reference,
}


def clean_text(field: Field, raw: Any) -> Any:
    """``raw`` with control characters removed from its text (a list's text items too).

    Raises ``Invalid`` (``invalid_text``) for text UTF-8 cannot hold (see
    ``relay_app.forms.hygiene``). Runs before any parsing, so that no other check quotes such
    text back in its message.
    """
    if isinstance(raw, str):
        return _cleaned(field, raw)
    if isinstance(raw, list | tuple):
        return [_cleaned(field, item) if isinstance(item, str) else item for item in raw]
    return raw


def _cleaned(field: Field, text: str) -> str:
    if is_clean(text):
        return text
    position = unencodable_position(text)
    if position is not None:
        message = _(
            "{field} contains a damaged character that cannot be saved (often left by copy "
            "and paste); type the text again."
        ).format(field=label_of(field))
        raise Invalid(codes.INVALID_TEXT, message, position=position)
    return without_controls(text)


def coerce_value(field: Field, raw: Any) -> Any:
    """The cleaned value of ``raw`` for ``field``; its empty value for blank input.

    Raises ``Invalid`` for text UTF-8 cannot hold, and for a value of the wrong type or outside
    the field's constraints.
    """
    raw = clean_text(field, raw)
    if is_blank(raw):
        return field.empty_value()
    if isinstance(raw, list | tuple) and not field.is_list:
        message = _("{field} takes a single value, not a list.").format(field=label_of(field))
        raise Invalid(codes.INVALID_TYPE, message, value=str(raw))
    return _PARSERS[field.type](field, raw)
