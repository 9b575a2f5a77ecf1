"""The records selected in a list, in the order they are shown."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView

from relay_app.ui.records.table_model import RecordTableModel


def selected_rows(table: QTableView) -> list[int]:
    return sorted(index.row() for index in table.selectionModel().selectedRows())


def selected_ids(table: QTableView, model: RecordTableModel) -> list[str]:
    ids = (model.record_id(row) for row in selected_rows(table))
    return [record_id for record_id in ids if record_id is not None]


def select_ids(table: QTableView, model: RecordTableModel, record_ids: list[str]) -> None:
    """Select the rows of ``record_ids`` that are loaded; the first becomes the current row."""
    rows = [row for row in (model.row_of(record_id) for record_id in record_ids) if row is not None]
    selection = table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(model.index(row, 0), flags)
    if rows:
        first = model.index(min(rows), 0)
        selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        table.scrollTo(first)
