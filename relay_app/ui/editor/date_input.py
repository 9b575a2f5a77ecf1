"""A date box: typed as ISO or the locale's short date, or picked from a calendar; empty is none.

Qt's date edit types by sections (so "2026-11-29" became "0261129" and Tab moved between
sections instead of leaving) and cannot be empty. This is a line edit that accepts digits and
date separators, reads what was typed with ``relay_app.formatting.parse_date`` and shows back
what it understood, in ISO, once the focus leaves. Alt+Down or F4, or the button beside it,
opens a calendar at the date typed, else at the form's other date, else at today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QLocale, QPoint, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from relay_app.formatting import parse_date
from relay_app.forms import Field
from relay_app.i18n import _, current_locale
from relay_app.ui.editor.field_input import FieldInput
from relay_app.ui.icons import icon

# Digits and the separators of ISO and of short dates (2026-11-29, 29/11/2026, 29.11.26).
_DATE_CHARACTERS = QRegularExpression(r"[0-9 ./-]*")


class DateLineEdit(QLineEdit):
    """The typed part; Alt+Down and F4 ask for the calendar, as in a drop-down."""

    calendar_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        alt_down = event.key() == Qt.Key.Key_Down and bool(
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.calendar_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CalendarPopup(QFrame):
    """A month calendar under the box; a click or Enter picks, Escape closes with no change."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        # Month and day names, and the first day of the week, in the app's language.
        self.calendar.setLocale(QLocale(str(current_locale())))
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:  # said outright: not every platform maps Cancel
            event.accept()
            self.close()
            return
        super().keyPressEvent(event)

    def _pick(self, chosen: QDate) -> None:
        self.picked.emit(chosen)
        self.close()


class DateInput(FieldInput):
    """A date field: ``raw()`` is "YYYY-MM-DD" once understood, the text as typed otherwise."""

    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.edit = DateLineEdit()
        self.edit.setValidator(QRegularExpressionValidator(_DATE_CHARACTERS, self.edit))
        self.edit.textChanged.connect(self.changed)
        self.edit.editingFinished.connect(self._show_understood)
        self.edit.calendar_requested.connect(self.open_calendar)
        self.button = QToolButton()
        self.button.setIcon(icon("calendar"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field; Alt+Down
        self.button.clicked.connect(self.open_calendar)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self.widget, self.focus = box, self.edit
        # Where the calendar opens when nothing is typed: the editor points it at the form's
        # other date (a forum's end opens at its start).
        self.nearby_date: Callable[[], date | None] = lambda: None
        self.popup: CalendarPopup | None = None
        self.retranslate_ui()

    def date(self) -> date | None:
        """The date typed, when it is one."""
        try:
            return parse_date(self.edit.text())
        except ValueError:
            return None

    def raw(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return None  # no date, never a made-up one
        understood = self.date()
        return understood.isoformat() if understood is not None else text

    def set_raw(self, value: Any) -> None:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            value = value.isoformat()
        self.edit.setText("" if value is None else str(value))

    def _show_understood(self) -> None:
        understood = self.date()
        if understood is not None and self.edit.text() != understood.isoformat():
            self.edit.setText(understood.isoformat())

    def open_calendar(self) -> CalendarPopup:
        start = self.date() or self.nearby_date() or date.today()
        popup = CalendarPopup(self.edit)
        popup.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        popup.picked.connect(self._picked)
        popup.destroyed.connect(self._popup_closed)
        popup.move(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        popup.show()
        popup.calendar.setFocus(Qt.FocusReason.PopupFocusReason)
        self.popup = popup
        return popup

    def _picked(self, chosen: QDate) -> None:
        self.edit.setText(chosen.toString("yyyy-MM-dd"))
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def _popup_closed(self) -> None:
        self.popup = None

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.button.setAccessibleName(_("Choose {field} in a calendar").format(field=name))
        self.button.setToolTip(_("Choose in a calendar (Alt+Down)"))

    def retranslate_ui(self) -> None:
        self.edit.setPlaceholderText(_("YYYY-MM-DD"))
