"""Finding a participant: the search box, the list of matches, and the one selected.

Reads (the forum's registrations, a few thousand at most) run on the GUI thread like the record
lists. Each key typed searches again; a badge's code, which matches no name, shows whose badge it
is instead. The best match is selected, so Enter acts on it without reaching for the arrows.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView

from relay_app.formatting import format_integer
from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.badges import is_badge_payload, registration_for_scan
from relay_app.services.checkin import Attendee
from relay_app.ui.checkin.attendees_model import AttendeesModel
from relay_app.ui.icons import icon

# Rows a search shows at most: enough to scroll, few enough to answer each key at once.
SEARCH_ROWS = 200


class ParticipantList:
    """The search box with its label and hint, over the table of the forum's participants."""

    def __init__(self, services: Services) -> None:
        self._service = services.check_ins
        self._database = services.database
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.more_hint = QLabel()
        self.more_hint.setVisible(False)
        self.model = AttendeesModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # arrows move in the list; Tab goes on to the buttons
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 240)
        self.table.setColumnWidth(1, 260)

    def load(self, forum_id: str | None, *, keep_selection: bool) -> None:
        """Read the forum's participants matching the search box again."""
        selected = self.selected_id() if keep_selection else None
        typed = self.search.text()
        rows = (
            [] if forum_id is None
            else self._service.attendees(forum_id, typed, limit=SEARCH_ROWS if typed.strip() else None)
        )
        # One or two letters can match half a forum: the best matches are shown, and a line says so.
        self.more_hint.setVisible(bool(typed.strip()) and len(rows) >= SEARCH_ROWS)
        if not rows and forum_id is not None and is_badge_payload(typed):
            scanned = self.scanned_attendee()  # a badge's code: show whose it is
            rows = [scanned] if scanned is not None and scanned.forum_id == forum_id else []
        self.model.set_rows(rows)
        if not (selected is not None and self.select(selected)) and rows:
            self.table.selectRow(0)  # Enter checks in the best match without reaching for arrows

    def scanned_attendee(self) -> Attendee | None:
        """Whose badge the search box holds (a scanner typed its code), if anybody's here."""
        registration_id = registration_for_scan(self._database, self.search.text())
        return None if registration_id is None else self._service.attendee(registration_id)

    def holds_badge_code(self) -> bool:
        return is_badge_payload(self.search.text())

    # -- selection --------------------------------------------------------------------------------

    def selected(self) -> Attendee | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.attendee(rows[0].row()) if rows else None

    def selected_id(self) -> str | None:
        person = self.selected()
        return person.id if person is not None else None

    def select(self, registration_id: str) -> bool:
        row = self.model.row_of(registration_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def move_selection(self, step: int) -> None:
        rows = self.table.selectionModel().selectedRows()
        target = rows[0].row() + step if rows else 0
        if 0 <= target < self.model.rowCount():
            self.table.selectRow(target)
            self.table.scrollTo(self.model.index(target, 0))

    # -- the search box ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def ready_for_next(self) -> None:
        """Select what was typed, so the next name or scan replaces it."""
        self.search.selectAll()

    def clear_search_quietly(self) -> None:
        """Empty the search box without searching again (the caller reloads once)."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.search_label.setText(_("Find &participant:"))
        self.search.setPlaceholderText(_("Type a few letters of a name, organisation or email"))
        self.search.setAccessibleName(_("Find participant"))
        self.more_hint.setText(
            _("Showing the best {count} matches: type more letters to narrow the list.").format(
                count=format_integer(SEARCH_ROWS)
            )
        )
        self.table.setAccessibleName(_("Participants"))
