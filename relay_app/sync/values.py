"""Record values between the local columns and the wire's JSON form (``Form.to_json``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from relay_app.forms import FieldType, form_for
from relay_app.forms.hygiene import scrubbed
from relay_app.store.models import SyncedRecord


def wire_values(kind: str, row: SyncedRecord, names: list[str] | None = None) -> dict[str, Any]:
    """The JSON values of ``names`` (every field when None) as the server expects them."""
    form = form_for(kind)
    chosen = form.field_names() if names is None else [n for n in names if n in form.field_names()]
    return form.to_json({name: getattr(row, name) for name in chosen})


def column_value(kind: str, name: str, raw: Any) -> Any:
    """A wire value as the column stores it.

    The server has already validated what it sends, so this only restores the Python types JSON
    lacks. Validating again here would tie applying a page to today's date (some bounds move with
    the calendar) and to this device's clock. Text is kept as the text rule allows it
    (``hygiene.scrubbed``), whatever the server stored before that rule existed: a control
    character goes, a character UTF-8 cannot hold becomes U+FFFD; refusing the value instead would
    stop every later pull at this record.
    """
    field = form_for(kind).field(name)
    raw = scrubbed(raw)
    if raw is None or raw == "":
        return field.empty_value()
    if field.type is FieldType.DATE and isinstance(raw, str):
        return date.fromisoformat(raw)
    if field.type is FieldType.DATETIME and isinstance(raw, str):
        parsed = datetime.fromisoformat(raw)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return raw


def set_wire_values(kind: str, row: SyncedRecord, values: dict[str, Any], skip: set[str]) -> bool:
    """Write the server's values into ``row``, except the fields in ``skip`` (unsent local edits).

    Returns whether anything changed (the device's own changes come back unchanged).
    """
    changed = False
    for name in form_for(kind).field_names():
        if name in skip or name not in values:
            continue
        value = column_value(kind, name, values[name])
        if getattr(row, name, None) != value:
            setattr(row, name, value)
            changed = True
    return changed
