"""The table of a record list: rows are selected whole, several at once with Shift or Ctrl."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QTableView


class RecordTable(QTableView):
    def __init__(self) -> None:
        super().__init__()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(False)  # arrows move in the list; Tab goes on to the next control

    def selectRow(self, row: int) -> None:  # noqa: N802 (Qt's name)
        """Select ``row`` alone, as the program does (Ctrl+Down's next record, a saved record).

        Qt's own ``selectRow`` reads the keys held down at that moment, so with Ctrl still held
        for Ctrl+Down it would add the row to the selection instead of moving to it.
        """
        index = self.model().index(row, 0)
        if index.isValid():
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.selectionModel().setCurrentIndex(index, flags)
