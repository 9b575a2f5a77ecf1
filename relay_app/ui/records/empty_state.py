"""What an empty list says: how to add the first record, or that the search matched nothing.

Laid over the list's viewport (the headers, the search box and the keyboard focus stay where they
were) whenever the list shows no row. Which sentence depends on the store, not on the widgets: no
record of the kind at all means "none yet" with a New button; records that exist but are not shown
mean the search or the filters hide them, with a button that clears both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from relay_app.i18n import N_, _
from relay_app.services import RecordService
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal

if TYPE_CHECKING:
    from relay_app.ui.records.panel import RecordPanel

NONE_YET: dict[str, str] = {
    "partners": N_(
        "No partners yet. Add the first with New (Ctrl+N), or import a spreadsheet (Ctrl+I)."
    ),
    "practices": N_(
        "No practices yet. Add the first with New (Ctrl+N), or import a spreadsheet (Ctrl+I)."
    ),
    "forums": N_("No forums yet. Add the first with New (Ctrl+N), or import a spreadsheet (Ctrl+I)."),
    "registrations": N_(
        "No registrations yet. Add the first with New (Ctrl+N), or import a spreadsheet (Ctrl+I)."
    ),
}
NONE_YET_ANY = N_("No records yet. Add the first with New (Ctrl+N), or import a spreadsheet (Ctrl+I).")


class EmptyState(QWidget):
    """The sentence and button shown over ``panel``'s list while it has no row."""

    def __init__(self, panel: RecordPanel, service: RecordService) -> None:
        super().__init__(panel.table.viewport())
        self._panel = panel
        self._service = service
        self.has_records = True
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.new_button = QPushButton(icon("new"), "")
        self.new_button.clicked.connect(panel.new_record)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_search)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        for button in (self.new_button, self.clear_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        panel.table.viewport().installEventFilter(self)
        model = panel.model
        model.modelReset.connect(self.refresh)
        model.rowsInserted.connect(self.refresh)
        model.rowsRemoved.connect(self.refresh)
        language_signal().changed.connect(self.retranslate_ui)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self._panel.table.viewport().rect())
        return False

    def refresh(self) -> None:
        panel = self._panel
        if panel.model.rowCount() > 0:
            self.hide()
            return
        # An empty list with records in the store: the search or the filters hide them.
        self.has_records = self._service.count() > 0
        self.new_button.setVisible(not self.has_records)
        self.clear_button.setVisible(self.has_records)
        self.retranslate_ui()
        self.setGeometry(panel.table.viewport().rect())
        self.show()
        self.raise_()

    def clear_search(self) -> None:
        self._panel.filters.clear()
        self._panel.search.clear()
        self._panel.apply_query()
        self._panel.table.setFocus()

    def retranslate_ui(self) -> None:
        kind = self._panel.kind
        if not self.has_records:
            self.message.setText(_(NONE_YET.get(kind, NONE_YET_ANY)))
        elif self._panel.search.text().strip():
            self.message.setText(
                _("Nothing matches “{search}”. Try other words, or clear the search.").format(
                    search=self._panel.search.text().strip()
                )
            )
        else:
            self.message.setText(_("Nothing matches these filters."))
        self.new_button.setText(_("&New"))
        self.new_button.setToolTip(_("Start a new record (Ctrl+N)"))
        self.clear_button.setText(_("Clear search and filters"))
