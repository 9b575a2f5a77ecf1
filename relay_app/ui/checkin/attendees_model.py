"""The desk's list: one row per registration of the chosen forum, from plain ``Attendee`` rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from relay_app import codelists
from relay_app.formatting import format_datetime
from relay_app.i18n import N_
from relay_app.services.checkin import CANCELLED, Attendee
from relay_app.ui.sync.rows_model import PlainRowsModel

COLUMNS = (N_("Name"), N_("Organisation"), N_("Status"), N_("Checked in at"))
CHECKED_IN_COLUMN = 3


class AttendeesModel(PlainRowsModel[Attendee]):
    columns = COLUMNS
    tooltip_column = 1

    def set_rows(self, rows: list[Attendee]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def cell(self, row: Attendee, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.organisation
        if column == 2:
            return codelists.get("registration_statuses").label(row.status)
        if row.checked_in_at is None:
            return ""
        return format_datetime(row.checked_in_at, "short")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.FontRole:
            row = self.rows[index.row()]
            if row.checked_in or row.status == CANCELLED:
                font = QFont()
                # Arrived people read bold; a cancelled registration is struck through.
                font.setBold(row.checked_in)
                font.setStrikeOut(row.status == CANCELLED)
                return font
            return None
        return super().data(index, role)

    def row_of(self, registration_id: str) -> int | None:
        for number, row in enumerate(self.rows):
            if row.id == registration_id:
                return number
        return None

    def attendee(self, row: int) -> Attendee | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None
