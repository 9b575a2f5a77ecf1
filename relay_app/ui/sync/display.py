"""Words for sync facts: sizes, progress, outcomes, files waiting, kinds of change, outbox states."""

from __future__ import annotations

from datetime import datetime

from relay_app.formatting import format_datetime, format_decimal
from relay_app.i18n import N_, _, ngettext
from relay_app.services.outbox_view import OutboxRow
from relay_app.sync.progress import PHASE_LABELS, Phase, SyncProgress, SyncSummary, waiting_text
from relay_app.ui.records.kinds import KIND_VIEWS

OUTCOMES = {
    "running": N_("Running"),
    "ok": N_("Done"),
    "failed": N_("Not finished"),
    "cancelled": N_("Stopped"),
}
OPERATIONS = {"upsert": N_("Created or edited"), "delete": N_("Deleted")}
# Kinds that sync but have no list of their own: a file link rides with its record.
OTHER_KINDS = {"attachments": N_("File link")}


def format_bytes(size: int) -> str:
    if size < 1024:
        return _("{size} B").format(size=size)
    if size < 1024 * 1024:
        return _("{size} KB").format(size=format_decimal(size / 1024, 1))
    return _("{size} MB").format(size=format_decimal(size / (1024 * 1024), 1))


def progress_label(step: SyncProgress) -> str:
    """What the run is doing, with how far it got where that is known."""
    if step.phase is Phase.WAITING:
        return waiting_text(step.done)
    label = _(PHASE_LABELS[step.phase])
    if step.phase in (Phase.UPLOADING, Phase.DOWNLOADING):  # ``done`` counts bytes here
        if step.total:
            return _("{phase}: {done} of {total}").format(
                phase=label, done=format_bytes(step.done), total=format_bytes(step.total)
            )
        if step.done:
            return _("{phase}: {size} so far").format(phase=label, size=format_bytes(step.done))
        return label
    if step.phase is Phase.RETRYING and step.total:
        return _("{phase} (attempt {attempt} of {attempts})").format(
            phase=label, attempt=step.done, attempts=step.total
        )
    if step.total is not None and step.phase in (Phase.PUSHING, Phase.PUSHED):
        return _("{phase}: {done} of {total}").format(phase=label, done=step.done, total=step.total)
    if step.phase in (Phase.PULLING, Phase.PULLED) and step.done:
        return _("{phase}: {count} so far").format(phase=label, count=step.done)
    return label


def files_outcome(summary: SyncSummary) -> list[str]:
    """Sentences on the run's files: how many arrived, how many wait and why (one per line)."""
    lines: list[str] = []
    if summary.files_downloaded:
        lines.append(
            ngettext("{count} file downloaded.", "{count} files downloaded.", summary.files_downloaded)
            .format(count=summary.files_downloaded)
        )
    waiting = summary.files_to_download
    if waiting and summary.files_held_back:
        lines.append(
            ngettext(
                "{count} file waits for a good link or for Sync files now (data saver).",
                "{count} files wait for a good link or for Sync files now (data saver).",
                waiting,
            ).format(count=waiting)
        )
    elif waiting:
        lines.append(
            ngettext(
                "{count} file is not on the server yet; a later sync brings it.",
                "{count} files are not on the server yet; a later sync brings them.",
                waiting,
            ).format(count=waiting)
        )
    unsent = summary.files_pending - summary.files_over_quota
    if unsent > 0:
        lines.append(
            ngettext("{count} file waits to be sent.", "{count} files wait to be sent.", unsent)
            .format(count=unsent)
        )
    note = summary.upload_quota_note()
    if note:
        lines.append(note)
    return lines


def stopped_outcome(summary: SyncSummary) -> list[str]:
    """What a run that stopped short had done, and what it left for the next one."""
    lines: list[str] = []
    if summary.pushed:
        lines.append(
            ngettext(
                "{count} change reached the server before the sync stopped.",
                "{count} changes reached the server before the sync stopped.",
                summary.pushed,
            ).format(count=summary.pushed)
        )
    if summary.pulled:
        lines.append(
            ngettext(
                "{count} change was received before the sync stopped.",
                "{count} changes were received before the sync stopped.",
                summary.pulled,
            ).format(count=summary.pulled)
        )
    if summary.pending:
        lines.append(
            ngettext(
                "{count} change waits to be sent with the next sync.",
                "{count} changes wait to be sent with the next sync.",
                summary.pending,
            ).format(count=summary.pending)
        )
    return lines


def format_when(value: datetime | None) -> str:
    return format_datetime(value, "short") if value is not None else ""


def kind_label(kind: str) -> str:
    view = KIND_VIEWS.get(kind)
    if view is not None:
        return _(view.one)
    return _(OTHER_KINDS[kind]) if kind in OTHER_KINDS else kind


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
