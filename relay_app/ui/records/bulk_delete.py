"""Delete the records selected in a list after one question, and bring them all back in one undo.

The question names the records (or counts them) and the records of other kinds that still refer to
them (practices naming a partner as their source); the delete is one call to
``RecordService.delete_many`` on the database thread, so it lands whole or not at all, and each
delete is one step of the undo stack (Ctrl+Z or the toast's Undo).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from relay_app.i18n import _, ngettext
from relay_app.services import RecordService, RecordView
from relay_app.services.errors import ServiceError
from relay_app.services.records import DeletedRecords
from relay_app.ui.changes import DataChanges
from relay_app.ui.dialogs import confirm_delete_records
from relay_app.ui.operations import Operation
from relay_app.ui.records.kinds import KIND_VIEWS
from relay_app.ui.records.selection import select_ids, selected_ids, selected_rows

if TYPE_CHECKING:
    from relay_app.ui.records.panel import RecordPanel


class RecordDeleter(QObject):
    """The delete and undo of one record list."""

    def __init__(self, panel: RecordPanel, service: RecordService, changes: DataChanges) -> None:
        super().__init__(panel)
        self._panel = panel
        self._service = service
        self._changes = changes
        self._undo: list[list[str]] = []  # one entry per delete: the ids it removed

    def can_undo(self) -> bool:
        return bool(self._undo)

    def delete_selected(self, confirm: bool = True) -> None:
        panel = self._panel
        ids = selected_ids(panel.table, panel.model)
        if not ids or panel.is_editing():
            return
        try:
            titles = [self._service.get(record_id).summary for record_id in ids]
            referrers = self._service.referrers(ids)
        except ServiceError:
            return
        if confirm and not confirm_delete_records(panel, panel.kind, titles, referrers):
            return
        next_row = selected_rows(panel.table)[0]
        service = self._service
        Operation(panel, lambda _progress: service.delete_many(ids)).success(
            lambda deleted: self._deleted(deleted, next_row)
        ).failure(self._failed).run()

    def _deleted(self, deleted: DeletedRecords, next_row: int) -> None:
        panel = self._panel
        self._undo.append(deleted.ids)
        self._changes.records_changed.emit(panel.kind)
        row = min(next_row, panel.model.rowCount() - 1)
        if row >= 0:
            panel.table.selectRow(row)
        else:
            panel.detail.show_record(None)
            panel.edit_button.setEnabled(False)
        if len(deleted.records) == 1:
            message = _(KIND_VIEWS[panel.kind].deleted_message).format(
                title=deleted.records[0].summary
            )
        else:
            message = deleted_message(panel.kind, len(deleted.records))
        panel.toast.show_message(message, _("Undo"), self.undo)
        for record_id in deleted.ids:
            panel.deleted.emit(record_id)

    def undo(self) -> None:
        """Bring back every record of the last delete, in one write."""
        if not self._undo:
            return
        ids = self._undo.pop()
        service = self._service

        def restored(records: list[RecordView]) -> None:
            panel = self._panel
            self._changes.records_changed.emit(panel.kind)
            select_ids(panel.table, panel.model, [record.id for record in records])
            if len(records) == 1:
                text = _("Restored: {title}").format(title=records[0].summary)
            else:
                text = ngettext(
                    "{count} record restored.", "{count} records restored.", len(records)
                ).format(count=len(records))
            panel.toast.show_message(text)
            for record in records:
                panel.restored.emit(record.id)

        Operation(self._panel, lambda _progress: service.restore_many(ids)).success(
            restored
        ).failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self._panel.toast.show_message(_("That did not work: {reason}").format(reason=str(error)))


def deleted_message(kind: str, count: int) -> str:
    if kind == "partners":
        text = ngettext("{count} partner deleted.", "{count} partners deleted.", count)
    elif kind == "practices":
        text = ngettext("{count} practice deleted.", "{count} practices deleted.", count)
    elif kind == "forums":
        text = ngettext("{count} forum deleted.", "{count} forums deleted.", count)
    elif kind == "registrations":
        text = ngettext("{count} registration deleted.", "{count} registrations deleted.", count)
    else:
        text = ngettext("{count} record deleted.", "{count} records deleted.", count)
    return text.format(count=count)
