"""The desk's list: one row per registration of the chosen forum, from plain ``Attendee`` rows.

"Checked in" is what the check-in log says (see ``relay_app.services.checkin``); a person the log
shows admitted twice, or admitted while not registered, is marked for someone to look at.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from relay_app import codelists
from relay_app.formatting import format_datetime
from relay_app.i18n import N_, _
from relay_app.services.checkin import CANCELLED, WAITLISTED, Attendee
from relay_app.ui.sync.rows_model import PlainRowsModel

COLUMNS = (N_("Name"), N_("Organisation"), N_("Status"), N_("Checked in at"))
STATUS_COLUMN = 2
CHECKED_IN_COLUMN = 3
FLAGGED = QColor(176, 72, 0)  # dark orange: readable on light rows, not an error red


def status_text(row: Attendee) -> str:
    if row.status == WAITLISTED and row.queue_place is not None:
        return _("Waiting list, place {place}").format(place=row.queue_place)
    return codelists.get("registration_statuses").label(row.status)


def checked_in_text(row: Attendee) -> str:
    """The arrival time, with what a person should look at: other admissions of the same person,
    or an admission of someone not registered (a desk that had not heard of the cancellation)."""
    if row.checked_in_at is None:
        return ""
    text = format_datetime(row.checked_in_at, "short")
    for double in row.double_entries:
        text = _("{time} · also admitted at {desk} at {other_time}").format(
            time=text,
            desk=double.repeat.device_name or _("another desk"),
            other_time=format_datetime(double.repeat.scanned_at, "short"),
        )
    if row.admitted_unregistered:
        text = _("{time} · admitted while not registered").format(time=text)
    return text


def is_flagged(row: Attendee) -> bool:
    return bool(row.double_entries) or row.admitted_unregistered


class AttendeesModel(PlainRowsModel[Attendee]):
    columns = COLUMNS
    tooltip_column = CHECKED_IN_COLUMN

    def set_rows(self, rows: list[Attendee]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def cell(self, row: Attendee, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.organisation
        if column == STATUS_COLUMN:
            return status_text(row)
        return checked_in_text(row)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.FontRole:
            if row.checked_in or row.status == CANCELLED:
                font = QFont()
                # Arrived people read bold; a cancelled registration is struck through.
                font.setBold(row.checked_in)
                font.setStrikeOut(row.status == CANCELLED)
                return font
            return None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == CHECKED_IN_COLUMN:
            return FLAGGED if is_flagged(row) else None
        return super().data(index, role)

    def replace_row(self, person: Attendee) -> bool:
        """Show ``person``'s new state in place (False when they are not in the list)."""
        number = self.row_of(person.id)
        if number is None:
            return False
        self.rows[number] = person
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.columns) - 1))
        return True

    def row_of(self, registration_id: str) -> int | None:
        for number, row in enumerate(self.rows):
            if row.id == registration_id:
                return number
        return None

    def attendee(self, row: int) -> Attendee | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None
