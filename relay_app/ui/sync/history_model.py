"""Past sync runs as a table, newest first, with the error that ended each one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from relay_app.i18n import N_, _
from relay_app.services.outbox_view import SyncRunRow, sync_history
from relay_app.store.database import Database
from relay_app.ui.sync.display import format_bytes, format_when, outcome_label

COLUMNS = (
    N_("Started"),
    N_("Outcome"),
    N_("Sent"),
    N_("Received"),
    N_("Conflicts"),
    N_("Refused"),
    N_("Data sent"),
    N_("Data received"),
    N_("Error"),
)
Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    def __init__(self, database: Database) -> None:
        super().__init__()
        self._database = database
        self.rows: list[SyncRunRow] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = sync_history(self._database)
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
        run = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(run, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 8:
            return run.error
        return None

    def _cell(self, run: SyncRunRow, column: int) -> str:
        cells = (
            lambda: format_when(run.started_at),
            lambda: outcome_label(run.outcome),
            lambda: str(run.pushed),
            lambda: str(run.pulled),
            lambda: str(run.conflicts),
            lambda: str(run.rejected),
            lambda: format_bytes(run.bytes_sent),
            lambda: format_bytes(run.bytes_received),
            lambda: run.error or "",
        )
        return cells[column]()

    def retranslate_ui(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))
