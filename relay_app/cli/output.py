"""How the command line prints: JSON for scripts, aligned tables and labelled values for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from relay_app import codelists
from relay_app.formatting import format_decimal
from relay_app.i18n import _

MAX_CELL_WIDTH = 40
ELLIPSIS = "…"


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def print_error(message: str) -> None:
    """One line on standard error, whatever line breaks the message carries."""
    print(" ".join(message.split()), file=sys.stderr)


def display(value: Any) -> str:
    """A value as a person reads it in the current language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return format_decimal(value, 6)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(display(item) for item in value)
    return str(value)


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())  # a table row stays on one line
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, each cell cut at ``MAX_CELL_WIDTH``."""
    table = [[_fit(cell, MAX_CELL_WIDTH) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[column]) for row in table) for column in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def render_fields(pairs: Sequence[tuple[str, str]]) -> str:
    """``label: value`` lines with the values aligned."""
    width = max((len(label) for label, _value in pairs), default=0)
    return "\n".join(f"{label + ':':<{width + 1}} {value}".rstrip() for label, value in pairs)


def display_field(field: Any, value: Any) -> str:
    """A form field's value for people: code-list labels instead of codes, with its unit."""
    if value is None or value == []:
        return ""
    if field.codelist:
        labels = codelists.get(field.codelist)
        if isinstance(value, list | tuple):
            return ", ".join(labels.label(item) for item in value)
        return labels.label(value)
    text = display(value)
    return _("{value} {unit}").format(value=text, unit=_(field.unit)) if field.unit else text
