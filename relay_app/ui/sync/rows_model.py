"""A read-only table over a list of plain rows: the shared part of the outbox and history tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from relay_app.i18n import _

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


class PlainRowsModel(QAbstractTableModel, Generic[Row]):
    """Subclasses name their columns (``N_`` msgids) and say what each cell shows."""

    columns: Sequence[str] = ()
    tooltip_column: int | None = None  # a column whose full text shows as a tooltip

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    def cell(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole or (
            role == Qt.ItemDataRole.ToolTipRole and index.column() == self.tooltip_column
        ):
            return self.cell(row, index.column())
        return None

    def retranslate_ui(self) -> None:
        last_column = len(self.columns) - 1
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last_column)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, last_column))
