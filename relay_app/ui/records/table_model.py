"""A lazily loaded table over one record service: ids and display strings, never ORM objects.

Rows arrive a page at a time through ``canFetchMore``/``fetchMore`` as the view scrolls, so a
list of 100,000 records opens after one COUNT and one page. Sorting is done by the database
(``order_by``), searching by its full-text index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from relay_app.i18n import _
from relay_app.services import RecordService, RecordView
from relay_app.ui.records.display import display_value

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ListRow:
    id: str
    cells: tuple[str, ...]


class RecordTableModel(QAbstractTableModel):
    PAGE_SIZE = 200

    def __init__(self, service: RecordService, columns: Sequence[str]) -> None:
        super().__init__()
        self._service = service
        self._columns = tuple(columns)
        self._fields = tuple(service.form.field(name) for name in columns)
        self._rows: list[ListRow] = []
        self._count: int | None = 0
        self._more = False
        self._search: str | None = None
        self._filters: dict[str, Any] = {}
        self._order_by: str | None = None
        self._descending = False
        self.reload()

    # -- the query ---------------------------------------------------------------------------------

    @property
    def total(self) -> int | None:
        """How many records match, loaded or not; None while a search is not fully loaded."""
        if self._search is None:
            return self._count
        return None if self._more else len(self._rows)

    @property
    def columns(self) -> tuple[str, ...]:
        return self._columns

    def set_query(self, search: str | None, filters: Mapping[str, Any]) -> None:
        self._search = search.strip() if search and search.strip() else None
        self._filters = {name: value for name, value in filters.items() if value not in (None, "")}
        self.reload()

    def reload(self, keep_loaded: bool = False) -> None:
        """Run the query again; ``keep_loaded`` refetches as many rows as were shown."""
        wanted = max(len(self._rows), self.PAGE_SIZE) if keep_loaded else self.PAGE_SIZE
        self.beginResetModel()
        # Counting full-text matches can cost far more than reading a page of them, so a
        # search learns its size by paging; a plain list is counted up front.
        self._count = None if self._search else self._service.count(None, self._filters)
        self._rows, self._more = self._fetch(0, wanted)
        self.endResetModel()

    def _fetch(self, offset: int, limit: int) -> tuple[list[ListRow], bool]:
        """Up to ``limit`` rows from ``offset``, and whether more follow (one extra row asked)."""
        records = self._service.list(
            self._search,
            self._filters,
            order_by=self._order_by,
            descending=self._descending,
            offset=offset,
            limit=limit + 1,
        )
        return [self._row(record) for record in records[:limit]], len(records) > limit

    def _row(self, record: RecordView) -> ListRow:
        cells = tuple(display_value(field, record.values.get(field.name)) for field in self._fields)
        return ListRow(record.id, cells)

    # -- Qt's model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cells[index.column()]
        if role == ID_ROLE:
            return row.id
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation is Qt.Orientation.Horizontal
        labels = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if horizontal and role in labels and 0 <= section < len(self._fields):
            # The tooltip gives the whole label when a narrow column elides it.
            return _(self._fields[section].label)
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid():
            return
        start = len(self._rows)
        page, self._more = self._fetch(start, self.PAGE_SIZE)
        if not page:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self._order_by = self._columns[column]
        self._descending = order is Qt.SortOrder.DescendingOrder
        self.reload()

    # -- lookups --------------------------------------------------------------------------------

    def record_id(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int | None:
        return next((n for n, row in enumerate(self._rows) if row.id == record_id), None)
