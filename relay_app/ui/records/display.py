"""How stored values read in lists and detail panes, in the current language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from relay_app import codelists
from relay_app.formatting import format_date, format_datetime, format_decimal
from relay_app.forms import Field, FieldType
from relay_app.i18n import _


def display_value(field: Field, value: Any) -> str:
    """``value`` of ``field`` as a person reads it: code labels, local dates and numbers."""
    if value is None or value == [] or value == "":
        return ""
    if field.type is FieldType.BOOLEAN:
        return _("Yes") if value else _("No")
    if field.codelist is not None:
        names = codelists.get(field.codelist)
        items = value if isinstance(value, list) else [value]
        return ", ".join(names.label(str(item)) for item in items)
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value, "medium")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        if field.type is FieldType.INTEGER and field.name.endswith("year"):
            return str(value)  # a year is not a quantity: no thousands separator
        number = format_decimal(value, 2)
        return (
            _("{number} {unit}").format(number=number, unit=_(field.unit)) if field.unit else number
        )
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)
