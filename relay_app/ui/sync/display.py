"""Words for sync facts: sizes, outcomes, kinds of change, outbox states."""

from __future__ import annotations

from datetime import datetime

from relay_app.formatting import format_datetime, format_decimal
from relay_app.i18n import N_, _
from relay_app.services.outbox_view import OutboxRow
from relay_app.ui.records.kinds import KIND_VIEWS

OUTCOMES = {
    "running": N_("Running"),
    "ok": N_("Done"),
    "failed": N_("Not finished"),
    "cancelled": N_("Stopped"),
}
OPERATIONS = {"upsert": N_("Created or edited"), "delete": N_("Deleted")}


def format_bytes(size: int) -> str:
    if size < 1024:
        return _("{size} B").format(size=size)
    if size < 1024 * 1024:
        return _("{size} KB").format(size=format_decimal(size / 1024, 1))
    return _("{size} MB").format(size=format_decimal(size / (1024 * 1024), 1))


def format_when(value: datetime | None) -> str:
    return format_datetime(value, "short") if value is not None else ""


def kind_label(kind: str) -> str:
    view = KIND_VIEWS.get(kind)
    return _(view.one) if view is not None else kind


def outcome_label(outcome: str) -> str:
    return _(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome


def operation_label(op: str) -> str:
    return _(OPERATIONS[op]) if op in OPERATIONS else op


def outbox_state(row: OutboxRow) -> str:
    if row.awaiting_receipt:
        return _("Sent, waiting for the server's receipt")
    if row.last_error:
        return _("Refused by the server")
    return _("Waiting to be sent")
