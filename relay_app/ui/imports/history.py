"""File ▸ Import history…: every import made here, and "Undo this import…" for any of them.

The list is read and the undo is run on the database thread (``Operation``); the undo asks first,
then shows what it did, or why it was refused (a record changed since), under the list.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from relay_app.formatting import format_datetime, format_integer
from relay_app.forms import form_for
from relay_app.i18n import _, ngettext
from relay_app.imports import BatchView, UndoResult, list_batches, undo_summary
from relay_app.services import Services
from relay_app.ui.changes import DataChanges
from relay_app.ui.imports.undoing import undo_operation
from relay_app.ui.operations import Operation

WHEN, KIND, FILE, CREATED, UPDATED, UNDONE = range(6)


def _cells(batch: BatchView) -> list[str]:
    undone = format_datetime(batch.undone_at, "short") if batch.undone_at else ""
    return [
        format_datetime(batch.imported_at, "short"), _(form_for(batch.kind).label), batch.file_name,
        format_integer(batch.created), format_integer(batch.updated), undone,
    ]


def confirm_undo(parent: QWidget, batch: BatchView) -> bool:
    """Ask once before undoing ``batch``, saying what will happen to its records."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Undo an import"))
    box.setText(
        _("Undo the import of {file} made on {time}?").format(
            file=batch.file_name, time=format_datetime(batch.imported_at, "short")
        )
    )
    lines = []
    if batch.created:
        lines.append(ngettext(
            "The {count} record it created will be deleted.",
            "The {count} records it created will be deleted.",
            batch.created,
        ).format(count=batch.created))
    if batch.updated and batch.values_kept:
        lines.append(ngettext(
            "The {count} record it updated gets back the values it had before.",
            "The {count} records it updated get back the values they had before.",
            batch.updated,
        ).format(count=batch.updated))
    elif batch.updated:
        lines.append(ngettext(
            "The {count} record it updated keeps its new values: this import was made before "
            "Relay kept the values it replaced.",
            "The {count} records it updated keep their new values: this import was made before "
            "Relay kept the values it replaced.",
            batch.updated,
        ).format(count=batch.updated))
    lines.append(_("Nothing is done if one of them was changed since."))
    box.setInformativeText("\n".join(lines))
    undo = box.addButton(_("Undo the import"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("Keep it"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is undo


class ImportHistoryDialog(QDialog):
    def __init__(self, services: Services, changes: DataChanges, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._changes = changes
        self.batches: list[BatchView] = []
        self.setObjectName("importHistory")
        self.setWindowTitle(_("Import history"))
        self.resize(820, 420)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            # Counts and a date, unlike a record's "Created"/"Updated" (dates): their own words.
            [_("Imported on"), _("Kind"), _("File"), _("Records created"), _("Records updated"),
             _("Undone on")]
        )
        self.table.setAccessibleName(_("Imports, newest first"))
        self.table.setTabKeyNavigation(False)  # arrows move in the list; Tab goes on to its buttons
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.empty = QLabel(_("No imports yet."))
        self.empty.hide()  # until the list is read
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("importHistoryResult")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_button = QPushButton(_("&Undo this import…"))
        self.undo_button.setToolTip(
            _("Delete the records the chosen import created and put back those it updated, "
              "if none was changed since.")
        )
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        layout.addLayout(row)
        self.running: Operation | None = None
        # An import finished in the wizard (or an undo anywhere) while the list is open: read it again.
        changes.records_changed.connect(self._records_changed)
        self.reload()

    def _records_changed(self, _kind: str) -> None:
        if isValid(self) and self.running is None:
            self.reload()

    def reload(self) -> Operation:
        """Read the imports again (on the database thread), keeping the same one chosen."""
        database = self._services.database
        return Operation(self, lambda _progress: list_batches(database)).success(self._show).run()

    def _show(self, batches: list[BatchView]) -> None:
        if not isValid(self):  # closed while the list was read
            return
        chosen = self.selected()
        self.batches = batches
        self.table.setRowCount(len(batches))
        for line, batch in enumerate(batches):
            for column, text in enumerate(_cells(batch)):
                item = QTableWidgetItem(text)
                if column in (CREATED, UPDATED):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(line, column, item)
        self.empty.setVisible(not batches)
        ids = [batch.id for batch in batches]
        if batches:
            self.table.selectRow(ids.index(chosen.id) if chosen and chosen.id in ids else 0)
        self._selection_changed()

    def selected(self) -> BatchView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.batches):
            return None
        return self.batches[rows[0].row()]

    def _selection_changed(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(batch is not None and batch.undone_at is None and self.running is None)

    def undo_selected(self) -> Operation | None:
        batch = self.selected()
        if batch is None or batch.undone_at is not None or not confirm_undo(self, batch):
            return None
        database, records = self._services.database, self._services.records(batch.kind)
        self.result.clear()

        def undone(result: UndoResult) -> None:
            self._changes.records_changed.emit(batch.kind)
            if isValid(self):
                self.result.setText(undo_summary(result))

        def refused(error: BaseException) -> None:
            if isValid(self):
                self.result.setText(str(error))

        def finished() -> None:
            if isValid(self):
                self.running = None
                self.reload()

        self.running = (
            undo_operation(self, database, records, batch.id)
            .success(lambda result: (undone(result), finished()))
            .failure(lambda error: (refused(error), finished()))
        )
        self._selection_changed()
        return self.running.run()
