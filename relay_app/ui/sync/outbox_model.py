"""The outbox as a table: one row per pending change, from ``services.outbox_view``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from relay_app.i18n import N_, _
from relay_app.services.outbox_view import OutboxRow, outbox_rows, outbox_size
from relay_app.store.database import Database
from relay_app.ui.sync.display import format_when, kind_label, operation_label, outbox_state

COLUMNS = (
    N_("Record"),
    N_("Kind"),
    N_("Change"),
    N_("State"),
    N_("Attempts"),
    N_("Last error"),
    N_("Next retry"),
)
Index = QModelIndex | QPersistentModelIndex
# Rows shown; the count says how many wait in all, and the export holds every one of them.
SHOWN_ROWS = 1000


class OutboxModel(QAbstractTableModel):
    def __init__(self, database: Database) -> None:
        super().__init__()
        self._database = database
        self.rows: list[OutboxRow] = []
        self.total = 0

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = outbox_rows(self._database, limit=SHOWN_ROWS)
        self.total = outbox_size(self._database)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return row.last_error
        return None

    def _cell(self, row: OutboxRow, column: int) -> str:
        cells = (
            lambda: row.summary or row.record_id,
            lambda: kind_label(row.kind),
            lambda: operation_label(row.op),
            lambda: outbox_state(row),
            lambda: str(row.attempts),
            lambda: row.last_error or "",
            lambda: format_when(row.next_attempt_at),
        )
        return cells[column]()

    def retranslate_ui(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))
