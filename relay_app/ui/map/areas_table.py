"""Practices by area (climate zone x soil group x land use): a sortable table.

Double-click (or Enter on) a row to see that area's practices on the map.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from relay_app.carbon import TARGET_PER_MILLE
from relay_app.formatting import format_decimal, format_integer, format_quantity
from relay_app.geo.areas import AreaSummary, area_words
from relay_app.i18n import _

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MEAN_COLUMN = 5


class _Cell(QTableWidgetItem):
    """Text shown in the reader's language, sorted by the value underneath."""

    def __init__(self, text: str, key: Any) -> None:
        super().__init__(text)
        self.setData(SORT_ROLE, key)
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:  # areas without a measure go last, either way sorted
            table = self.tableWidget()
            descending = table is not None and (
                table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
            return (mine is None and theirs is not None) if descending else (
                mine is not None and theirs is None)
        return mine < theirs  # type: ignore[no-any-return]


class AreasTable(QTableWidget):
    area_chosen = Signal(object)  # the AreaSummary

    def __init__(self) -> None:
        super().__init__(0, 7)
        self.areas: list[AreaSummary] = []
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.itemActivated.connect(lambda item: self._chosen(item.row()))
        self.retranslate_ui()

    def show_areas(self, areas: list[AreaSummary]) -> None:
        self.areas = list(areas)
        sort_column = self.horizontalHeader().sortIndicatorSection()
        order = self.horizontalHeader().sortIndicatorOrder()
        self.setSortingEnabled(False)
        self.setRowCount(len(areas))
        for row, area in enumerate(areas):
            words = area_words(area.key)
            mean = area.mean_annual_change_per_mille
            cells = [
                _Cell(words[0], words[0].casefold()),
                _Cell(words[1], words[1].casefold()),
                _Cell(words[2], words[2].casefold()),
                _Cell(format_integer(area.practices), area.practices),
                _Cell(format_integer(area.with_soc), area.with_soc),
                _Cell(format_quantity(mean, "per-mille-per-year", 2) if mean is not None else _("n/a"), mean),
                _Cell(self._against_target(area), area.target_ratio),
            ]
            cells[0].setData(Qt.ItemDataRole.UserRole, row)
            for column, cell in enumerate(cells):
                if column >= 3:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, cell)
        self.setSortingEnabled(True)
        if sort_column >= 0:
            self.sortItems(sort_column, order)
        self.resizeColumnsToContents()

    def _against_target(self, area: AreaSummary) -> str:
        ratio = area.target_ratio
        if ratio is None:
            return ""
        return _("{ratio} × the {target} ‰ target").format(
            ratio=format_decimal(ratio, 2), target=format_decimal(TARGET_PER_MILLE, 0))

    def best_first(self) -> None:
        """Sort by the mean measured change, the best gains on top ("hotspots")."""
        self.sortItems(MEAN_COLUMN, Qt.SortOrder.DescendingOrder)

    def area_at(self, row: int) -> AreaSummary | None:
        item = self.item(row, 0)
        if item is None:
            return None
        return self.areas[int(item.data(Qt.ItemDataRole.UserRole))]

    def _chosen(self, row: int) -> None:
        area = self.area_at(row)
        if area is not None:
            self.area_chosen.emit(area)

    def retranslate_ui(self) -> None:
        self.setHorizontalHeaderLabels([
            _("Climate zone (IPCC)"), _("Soil group (WRB)"), _("Land use"), _("Practices"),
            _("With SOC results"), _("Mean SOC change"), _("Against the target"),
        ])
        self.setAccessibleName(_("Practices by area"))
        if self.areas:
            self.show_areas(self.areas)
